/**
 * Bar and line charts as standalone SVG text: no dependencies, no scripts,
 * every piece of text escaped, so any client can show it as an image.
 */
export type ChartInput = {
  type: "bar" | "line";
  title?: string;
  labels: string[];
  values: (number | null)[];
};

export const PALETTE = ["#2563eb", "#16a34a", "#ea580c", "#9333ea", "#0891b2", "#dc2626"] as const;

const W = 640;
const H = 360;
const M = { top: 44, right: 20, bottom: 80, left: 64 };
const PLOT_W = W - M.left - M.right;
const PLOT_H = H - M.top - M.bottom;
const FONT = `font-family="system-ui, sans-serif"`;

export function renderChart(input: ChartInput): string {
  const n = Math.min(input.labels.length, input.values.length);
  const labels = input.labels.slice(0, n);
  const values = input.values.slice(0, n).map((v) => (v === null || !Number.isFinite(v) ? null : v));
  const finite = values.filter((v): v is number => v !== null);
  const ticks = niceTicks(Math.min(0, ...finite), Math.max(0, ...finite));
  const lo = ticks[0]!;
  const hi = ticks[ticks.length - 1]!;
  const y = (v: number) => M.top + PLOT_H - ((v - lo) / (hi - lo)) * PLOT_H;
  const band = n > 0 ? PLOT_W / n : PLOT_W;
  const x = (i: number) => M.left + band * i + band / 2;

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeXml(input.title ?? "Chart")}">`,
    `<title>${escapeXml(input.title ?? "Chart")}</title>`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
  ];
  if (input.title) {
    parts.push(`<text x="${W / 2}" y="26" text-anchor="middle" font-size="16" font-weight="600" ${FONT} fill="#111827">${escapeXml(truncate(input.title, 80))}</text>`);
  }
  for (const t of ticks) {
    parts.push(
      `<line x1="${M.left}" x2="${W - M.right}" y1="${r(y(t))}" y2="${r(y(t))}" stroke="#e5e7eb"/>`,
      `<text x="${M.left - 8}" y="${r(y(t) + 4)}" text-anchor="end" font-size="11" ${FONT} fill="#4b5563">${escapeXml(formatNumber(t))}</text>`,
    );
  }
  parts.push(
    `<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${M.top + PLOT_H}" stroke="#374151"/>`,
    `<line x1="${M.left}" x2="${W - M.right}" y1="${r(y(0))}" y2="${r(y(0))}" stroke="#374151"/>`,
  );

  if (n === 0) {
    parts.push(`<text x="${W / 2}" y="${M.top + PLOT_H / 2}" text-anchor="middle" font-size="14" ${FONT} fill="#6b7280">No data</text>`);
  } else if (input.type === "bar") {
    const width = Math.max(1, band * 0.7);
    values.forEach((v, i) => {
      if (v === null) return;
      const top = Math.min(y(v), y(0));
      const height = Math.abs(y(v) - y(0));
      parts.push(`<rect x="${r(x(i) - width / 2)}" y="${r(top)}" width="${r(width)}" height="${r(height)}" fill="${PALETTE[0]}"><title>${escapeXml(`${labels[i]}: ${formatNumber(v)}`)}</title></rect>`);
    });
  } else {
    const points = values.flatMap((v, i) => (v === null ? [] : [`${r(x(i))},${r(y(v))}`]));
    parts.push(`<polyline points="${points.join(" ")}" fill="none" stroke="${PALETTE[0]}" stroke-width="2"/>`);
    values.forEach((v, i) => {
      if (v === null) return;
      parts.push(`<circle cx="${r(x(i))}" cy="${r(y(v))}" r="3" fill="${PALETTE[0]}"><title>${escapeXml(`${labels[i]}: ${formatNumber(v)}`)}</title></circle>`);
    });
  }

  // At most ~24 x labels; slanted when crowded.
  const every = Math.ceil(n / 24);
  const slant = n > 8;
  labels.forEach((label, i) => {
    if (i % every !== 0) return;
    const lx = r(x(i));
    const ly = M.top + PLOT_H + 16;
    const transform = slant ? ` transform="rotate(-40 ${lx} ${ly})"` : "";
    parts.push(`<text x="${lx}" y="${ly}" text-anchor="${slant ? "end" : "middle"}" font-size="11" ${FONT} fill="#374151"${transform}>${escapeXml(truncate(label, 16))}</text>`);
  });
  parts.push("</svg>");
  return parts.join("");
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "apos" }[c]};`);
}

/** Round tick values spanning [min, max], 0 included by the caller. */
export function niceTicks(min: number, max: number): number[] {
  if (min === max) max = min + 1;
  const rough = (max - min) / 5;
  const mag = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= rough)!;
  const start = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let t = start; t < max + step * 0.999; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

function formatNumber(v: number): string {
  const abs = Math.abs(v);
  const units: [number, string][] = [[1e12, "T"], [1e9, "B"], [1e6, "M"], [1e3, "k"]];
  for (const [size, unit] of units) if (abs >= size) return `${trim(v / size)}${unit}`;
  return trim(v);
}

function trim(v: number): string {
  return String(Number(v.toFixed(2)));
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function r(v: number): number {
  return Math.round(v * 10) / 10;
}
