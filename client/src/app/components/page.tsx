import type { ReactNode } from "react";
import { errorMessage } from "../api";

export function Page({ title, lead, actions, children }: { title: string; lead?: ReactNode; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="page">
      <header className="page-head">
        <div>
          <h1>{title}</h1>
          {lead ? <p className="lead">{lead}</p> : null}
        </div>
        {actions ? <div className="actions">{actions}</div> : null}
      </header>
      {children}
    </section>
  );
}

export function Card({ title, actions, children, className }: { title?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <div className={`card ${className ?? ""}`}>
      {title || actions ? (
        <div className="card-head">
          {title ? <h2>{title}</h2> : <span />}
          {actions}
        </div>
      ) : null}
      {children}
    </div>
  );
}

/** What to show when there is nothing yet: say what it is and what to do next. */
export function Empty({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty" role="status">
      <strong>{title}</strong>
      {children ? <p>{children}</p> : null}
      {action ? <div className="empty-action">{action}</div> : null}
    </div>
  );
}

/** The server's message for a failed call (never a stack). */
export function ErrorNote({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  return (
    <div className="note error" role="alert">
      {title ? <strong>{title} </strong> : null}
      {errorMessage(error)}
    </div>
  );
}

export function Note({ kind = "info", children }: { kind?: "info" | "success" | "warning"; children: ReactNode }) {
  return (
    <div className={`note ${kind}`} role={kind === "warning" ? "alert" : "status"}>
      {children}
    </div>
  );
}

export function Loading({ what = "Loading" }: { what?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {what}…
    </div>
  );
}

/** A query's three states in one place. */
export function Loaded<T>({ query, what, children }: { query: { data: T | undefined; error: unknown; isPending: boolean }; what?: string; children: (data: T) => ReactNode }) {
  if (query.error) return <ErrorNote error={query.error} />;
  if (query.isPending || query.data === undefined) return <Loading what={what} />;
  return <>{children(query.data)}</>;
}

/** Progress of a long operation: a fraction when known, a moving bar when not. */
export function Progress({ label, fraction }: { label: string; fraction?: number | null }) {
  const known = typeof fraction === "number";
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={known ? Math.round(fraction * 100) : undefined}>
      <div className="progress-label">
        <span>{label}</span>
        {known ? <span>{Math.round(fraction * 100)}%</span> : null}
      </div>
      <div className="progress-track">
        <div className={`progress-bar ${known ? "" : "indeterminate"}`} style={known ? { width: `${Math.max(2, fraction * 100)}%` } : undefined} />
      </div>
    </div>
  );
}

export function Badge({ tone = "neutral", children }: { tone?: "neutral" | "good" | "warn" | "bad" | "info"; children: ReactNode }) {
  return <span className={`badge ${tone}`}>{children}</span>;
}
