import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { api } from "./api";
import { Credits } from "./components/amounts";
import { Link, navigate, useLocation } from "./router";
import { nav } from "./routes";
import { useSignedIn } from "./session";

export function Layout({ children }: { children: ReactNode }) {
  const session = useSignedIn();
  const { path } = useLocation();
  const [open, setOpen] = useState(false);
  const qc = useQueryClient();
  const balance = useQuery({ queryKey: ["credits.balance"], queryFn: () => api.credits.balance.query(), enabled: session.company.isBuyer });
  const signOut = useMutation({
    mutationFn: () => api.members.signOut.mutate(),
    onSuccess: () => {
      qc.clear();
      navigate("/app/signin", { replace: true });
    },
  });

  return (
    <div className="shell">
      <a className="skip-link" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById("main")?.focus(); }}>
        Skip to content
      </a>
      <header className="topbar">
        <button type="button" className="menu-button" aria-expanded={open} aria-controls="nav" onClick={() => setOpen(!open)}>
          <span aria-hidden="true">☰</span> <span className="sr-only">Menu</span>
        </button>
        <Link to="/app" className="brand">
          <span className="logo" aria-hidden="true" />
          Tessera
        </Link>
        <span className="company" title={session.company.id}>
          {session.company.name}
        </span>
        <span className="spacer" />
        {balance.data ? (
          <Link to="/app/credits" className={`balance-chip ${balance.data.lowBalanceWarning ? "low" : ""}`} data-testid="balance-chip">
            <Credits value={balance.data.availableCredits} />
          </Link>
        ) : null}
        <span className="who" title={session.member.email}>
          {session.member.name}
        </span>
        <button type="button" className="button small secondary" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
          Sign out
        </button>
      </header>
      <div className="body">
        <nav id="nav" className={`sidenav ${open ? "open" : ""}`} aria-label="Main">
          {nav
            .filter((g) => g.show(session))
            .map((group) => (
              <div key={group.title} className="nav-group">
                <span className="nav-title">{group.title}</span>
                {group.items.map((item) => (
                  <Link
                    key={item.to}
                    to={item.to}
                    className={path === item.to || path.startsWith(`${item.to}/`) ? "active" : ""}
                    onClick={() => setOpen(false)}
                  >
                    {item.label}
                  </Link>
                ))}
              </div>
            ))}
        </nav>
        <main className="main" id="main" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}
