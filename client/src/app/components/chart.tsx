/**
 * A tiny SVG chart for the admin's own figures (earnings, usage, balance over
 * time): one or more series over shared x labels, as lines or stacked bars.
 * Sellers' visualization results are not drawn here: the server renders those
 * (ResultView shows its SVG as an image).
 */
interface Series {
  name: string;
  values: number[];
  color?: string;
}

import { useEffect, useRef, useState } from "react";

const COLORS = ["#2563eb", "#16a34a", "#ea580c", "#9333ea"];
const H = 220;
const M = { top: 12, right: 12, bottom: 28, left: 64 };

function niceStep(span: number): number {
  const raw = span / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
}

export function Chart({
  labels,
  series,
  kind = "line",
  format,
  title,
}: {
  labels: string[];
  series: Series[];
  kind?: "line" | "bar";
  format: (n: number) => string;
  title: string;
}) {
  // Drawn at the width it is shown at, so its text stays 11px whatever the card's width.
  const ref = useRef<HTMLElement>(null);
  const [W, setW] = useState(640);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => {
      const width = Math.round(entry?.contentRect.width ?? 0);
      if (width > 0) setW(Math.max(280, width));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const n = labels.length;
  const stacked = kind === "bar";
  const totals = labels.map((_, i) => (stacked ? series.reduce((s, x) => s + Math.max(0, x.values[i] ?? 0), 0) : Math.max(...series.map((x) => x.values[i] ?? 0))));
  const lows = labels.map((_, i) => Math.min(0, ...series.map((x) => x.values[i] ?? 0)));
  const top = Math.max(0, ...totals);
  const bottom = Math.min(0, ...lows);
  const step = top === bottom ? 1 : niceStep(top - bottom);
  const hi = Math.max(step, Math.ceil(top / step) * step);
  const lo = Math.floor(bottom / step) * step;
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const y = (v: number) => M.top + plotH - ((v - lo) / (hi - lo)) * plotH;
  const band = n ? plotW / n : plotW;
  const x = (i: number) => M.left + band * i + band / 2;
  const ticks: number[] = [];
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push(v);
  const labelEvery = Math.max(1, Math.ceil(n / Math.max(2, Math.floor(plotW / 70))));

  return (
    <figure className="chart" ref={ref}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
        <title>{title}</title>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} stroke="#e5e7eb" />
            <text x={M.left - 6} y={y(t) + 4} textAnchor="end" fontSize="11" fill="#6b7280">
              {format(t)}
            </text>
          </g>
        ))}
        {labels.map((label, i) =>
          i % labelEvery === 0 ? (
            <text key={label + i} x={x(i)} y={H - 8} textAnchor="middle" fontSize="11" fill="#6b7280">
              {label}
            </text>
          ) : null,
        )}
        {stacked
          ? labels.map((label, i) => {
              let base = 0;
              return series.map((s, k) => {
                const v = Math.max(0, s.values[i] ?? 0);
                const rect = (
                  <rect key={`${i}-${k}`} x={x(i) - band * 0.35} width={band * 0.7} y={y(base + v)} height={Math.max(0, y(base) - y(base + v))} fill={s.color ?? COLORS[k % COLORS.length]}>
                    <title>{`${label} · ${s.name}: ${format(v)}`}</title>
                  </rect>
                );
                base += v;
                return rect;
              });
            })
          : series.map((s, k) => (
              <g key={s.name}>
                <polyline
                  fill="none"
                  stroke={s.color ?? COLORS[k % COLORS.length]}
                  strokeWidth="2"
                  points={s.values.map((v, i) => `${x(i)},${y(v)}`).join(" ")}
                />
                {s.values.map((v, i) => (
                  <circle key={i} cx={x(i)} cy={y(v)} r={n > 40 ? 1.5 : 3} fill={s.color ?? COLORS[k % COLORS.length]}>
                    <title>{`${labels[i]} · ${s.name}: ${format(v)}`}</title>
                  </circle>
                ))}
              </g>
            ))}
      </svg>
      {series.length > 1 ? (
        <figcaption className="legend">
          {series.map((s, k) => (
            <span key={s.name}>
              <i style={{ background: s.color ?? COLORS[k % COLORS.length] }} /> {s.name}
            </span>
          ))}
        </figcaption>
      ) : null}
    </figure>
  );
}
