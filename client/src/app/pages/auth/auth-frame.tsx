import type { ReactNode } from "react";

export function AuthFrame({ title, children, footer }: { title: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <main className="auth">
      <div className="auth-card">
        <div className="brand big">
          <span className="logo" aria-hidden="true" />
          Tessera
        </div>
        <p className="muted">The credit-metered marketplace for data products.</p>
        <h1>{title}</h1>
        {children}
        {footer ? <div className="auth-footer">{footer}</div> : null}
      </div>
    </main>
  );
}
