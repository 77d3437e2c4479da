/**
 * Every amount the admin shows goes through here, so credits and dollars read
 * the same on every page. The API sends decimals exact to 6 places (micro-units);
 * these only format them.
 */
const whole = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** "1,150 credits", "2.5 credits", "0.0002 credits", "1 credit". */
export function formatCredits(n: number, opts: { sign?: boolean; unit?: boolean } = {}): string {
  const text = new Intl.NumberFormat("en-US", { minimumFractionDigits: 0, maximumFractionDigits: 6, signDisplay: opts.sign ? "exceptZero" : "auto" }).format(n);
  if (opts.unit === false) return text;
  return `${text} ${Math.abs(n) === 1 ? "credit" : "credits"}`;
}

/** "$1,234.50"; prices under a cent keep their digits: "$0.0001". */
export function formatUsd(n: number, opts: { sign?: boolean } = {}): string {
  const fraction = Math.abs(n) > 0 && Math.abs(n) < 0.01 ? 6 : 2;
  return new Intl.NumberFormat("en-US", {
    style: "currency",
    currency: "USD",
    minimumFractionDigits: 2,
    maximumFractionDigits: fraction,
    signDisplay: opts.sign ? "exceptZero" : "auto",
  }).format(n);
}

/** "Endpoint", "Calculation" or "Visualization". */
export function productKind(p: { type: string; assetKind: string | null }): string {
  return p.type === "endpoint" ? "Endpoint" : p.assetKind === "visualization" ? "Visualization" : "Calculation";
}

/** A ledger entry's kind as a person reads it (GLOSSARY.md, Money). */
const ENTRY_KINDS: Record<string, string> = {
  top_up: "Top-up",
  plan: "Plan credits",
  grant: "Grant",
  allocation: "Allocation",
  refund: "Refund",
  adjustment: "Adjustment",
  charge: "Charge",
  expiry: "Expiry",
};

export function entryKind(kind: string): string {
  return ENTRY_KINDS[kind] ?? kind;
}

export function formatCount(n: number): string {
  return whole.format(n);
}

function formatPercent(fraction: number): string {
  return new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 2 }).format(fraction);
}

export function formatDate(ms: number): string {
  return new Date(ms).toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric" });
}

export function formatDateTime(ms: number): string {
  return new Date(ms).toLocaleString("en-US", { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

/** "Mar 4" for chart axes. */
export function formatDay(ms: number): string {
  return new Date(ms).toLocaleDateString("en-US", { month: "short", day: "numeric" });
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** A calculation's value as the seller declared it: a number, a string or a percentage. */
export function formatValue(value: unknown, kind?: string): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number") {
    if (kind === "percentage") return formatPercent(value);
    return new Intl.NumberFormat("en-US", { maximumFractionDigits: 6 }).format(value);
  }
  return String(value);
}

/** A column's name as people read it: "population_2020" → "Population 2020", "avgPrice" → "Avg price". */
export function formatColumn(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .trim()
    .toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : name;
}

// Grouping only from five digits, so years and codes read as written (2020, not 2,020) and 25,000 is grouped.
const cellNumber = new Intl.NumberFormat("en-US", { maximumFractionDigits: 6, useGrouping: "min2" as unknown as boolean });

/** One cell of a result's rows: numbers grouped, missing values as a dash. */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "number") return cellNumber.format(value);
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}
