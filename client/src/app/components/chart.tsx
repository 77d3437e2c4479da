/**
 * The admin's own figures over time (earnings, usage, balance), drawn with
 * recharts: one or more series over shared x labels, as lines or stacked
 * bars, with a tooltip, a legend, axes that say their unit and the last
 * period named ("Today", "This month"). Only the pages that chart import
 * this module, so recharts loads with their chunks, not the shell.
 *
 * Sellers' visualization results are not drawn here: the server renders those
 * (ResultView shows its SVG as an image).
 */
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { Empty } from "./page";

export interface Series {
  name: string;
  values: number[];
  color?: string;
}

const COLORS = ["#2563eb", "#15803d", "#c2410c", "#7e22ce"];
/** Axis text dark enough for 4.5:1 on white (axe: color-contrast). */
const INK = "#4b5563";
const HEIGHT = 260;

export function Chart({
  labels,
  series,
  kind = "line",
  format,
  title,
  unit,
  xUnit,
  lastLabel,
  empty = "Nothing in this period yet.",
}: {
  labels: string[];
  series: Series[];
  kind?: "line" | "bar";
  /** A value as the tooltip and axis show it ("$1.20", "12 credits"). */
  format: (n: number) => string;
  title: string;
  /** The y axis' unit, said beside it: "USD", "credits". */
  unit: string;
  /** The x axis' unit: "day", "month". */
  xUnit: string;
  /** What the last label is called ("Today"), so the current period is plain. */
  lastLabel?: string;
  empty?: string;
}) {
  if (series.every((s) => s.values.every((v) => !v))) {
    return <Empty title="No figures to chart">{empty}</Empty>;
  }
  const shown = lastLabel && labels.length ? [...labels.slice(0, -1), lastLabel] : labels;
  const data = shown.map((label, i) => Object.fromEntries([["label", label], ...series.map((s) => [s.name, s.values[i] ?? 0])]));
  const color = (k: number) => series[k]!.color ?? COLORS[k % COLORS.length]!;
  const common = {
    data,
    responsive: true,
    style: { width: "100%", height: HEIGHT },
    margin: { top: 8, right: 8, bottom: 4, left: 4 },
    accessibilityLayer: true,
  } as const;
  const axes = (
    <>
      <CartesianGrid stroke="#e5e7eb" vertical={false} />
      <XAxis
        dataKey="label"
        tick={{ fill: INK, fontSize: 12 }}
        tickLine={false}
        interval="preserveEnd"
        minTickGap={12}
        label={{ value: `per ${xUnit}`, position: "insideBottom", offset: 0, fill: INK, fontSize: 12 }}
        height={48}
      />
      <YAxis
        tick={{ fill: INK, fontSize: 12 }}
        tickFormatter={(v: number) => format(v)}
        width={72}
        allowDecimals
        label={{ value: unit, angle: -90, position: "insideLeft", fill: INK, fontSize: 12, dx: 4 }}
      />
      <Tooltip formatter={(v) => format(Number(v))} labelStyle={{ color: "#111827", fontWeight: 600 }} />
      <Legend wrapperStyle={{ color: INK, fontSize: 13 }} />
    </>
  );
  return (
    <figure className="chart" aria-label={title}>
      {kind === "bar" ? (
        <BarChart {...common} title={title}>
          {axes}
          {series.map((s, k) => (
            <Bar key={s.name} dataKey={s.name} stackId="all" fill={color(k)} isAnimationActive={false} />
          ))}
        </BarChart>
      ) : (
        <LineChart {...common} title={title}>
          {axes}
          {series.map((s, k) => (
            <Line key={s.name} dataKey={s.name} type="monotone" stroke={color(k)} strokeWidth={2} dot={labels.length <= 40} isAnimationActive={false} />
          ))}
        </LineChart>
      )}
      <figcaption className="sr-only">{title}</figcaption>
    </figure>
  );
}
