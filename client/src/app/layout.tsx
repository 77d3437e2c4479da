import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, Outlet, useNavigate, useRouter } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { api } from "./api";
import { Credits } from "./components/amounts";
import { Loading } from "./components/page";
import { nav } from "./nav";
import { useSession, type Session } from "./session";

/**
 * The signed-in shell around every /app page. The route's guard let only a
 * session in; when the session ends later (expired, signed out in another
 * tab), the person goes to sign-in and comes back here after.
 */
export function Layout() {
  const { data: session } = useSession();
  const router = useRouter();
  useEffect(() => {
    if (session === null) void router.navigate({ to: "/app/signin", search: { next: router.state.location.href }, replace: true });
  }, [session, router]);
  if (!session) return <main className="center"><Loading /></main>;
  return <Shell session={session} />;
}

function Shell({ session }: { session: Session }) {
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const qc = useQueryClient();
  const balance = useQuery({ queryKey: ["credits.balance"], queryFn: () => api.credits.balance.query(), enabled: session.company.isBuyer });
  const signOut = useMutation({
    mutationFn: () => api.members.signOut.mutate(),
    onSuccess: () => {
      qc.clear();
      void navigate({ to: "/app/signin", replace: true });
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
                    activeProps={{ className: "active" }}
                    onClick={() => setOpen(false)}
                  >
                    {item.label}
                  </Link>
                ))}
              </div>
            ))}
        </nav>
        <main className="main" id="main" tabIndex={-1}>
          <Outlet />
        </main>
      </div>
    </div>
  );
}
