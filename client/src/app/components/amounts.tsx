import { formatCredits, formatUsd } from "../format";

export function Credits({ value, sign }: { value: number; sign?: boolean }) {
  return <span className={`amount ${sign && value < 0 ? "negative" : sign && value > 0 ? "positive" : ""}`}>{formatCredits(value, { sign })}</span>;
}

export function Usd({ value, sign }: { value: number; sign?: boolean }) {
  return <span className="amount">{formatUsd(value, { sign })}</span>;
}

/** A price: USD first (what sellers set), credits beside it (what buyers pay). */
export function Price({ usd, credits }: { usd: number; credits: number }) {
  if (usd === 0) return <span className="amount">Free</span>;
  return (
    <span className="amount">
      {formatUsd(usd)} <span className="muted">· {formatCredits(credits)}</span>
    </span>
  );
}

/** A stat tile. */
export function Stat({ label, children, hint }: { label: string; children: React.ReactNode; hint?: React.ReactNode }) {
  return (
    <div className="stat">
      <span className="stat-label">{label}</span>
      <span className="stat-value">{children}</span>
      {hint ? <span className="stat-hint">{hint}</span> : null}
    </div>
  );
}
