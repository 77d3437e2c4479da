import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../../api";
import { Pager, usePaged } from "../../components/paging";
import { Stat, Usd } from "../../components/amounts";
import { Chart } from "../../components/chart";
import { DisputeItem } from "../../components/dispute";
import { ProductEarningsTable } from "../../components/product-earnings";
import { Card, Empty, Loaded, Page } from "../../components/page";
import { formatCount, formatDay, formatUsd } from "../../format";
import { Link } from "@tanstack/react-router";

const DAY = 86_400_000;
const RANGES = { "30d": { days: 30, granularity: "day" }, "90d": { days: 90, granularity: "day" }, "12m": { days: 365, granularity: "month" } } as const;
type Range = keyof typeof RANGES;

/**
 * Every UTC day (or month) from `from` to `to` inclusive, as the server names
 * its buckets, so quiet periods show as zero rather than being skipped.
 */
function periods(from: number, to: number, granularity: "day" | "month"): string[] {
  const key = (t: number) => new Date(t).toISOString().slice(0, granularity === "month" ? 7 : 10);
  const last = key(to - 1);
  const out: string[] = [];
  const d = new Date(from);
  d.setUTCHours(0, 0, 0, 0);
  if (granularity === "month") d.setUTCDate(1);
  for (let k = key(d.getTime()); ; k = key(d.getTime())) {
    out.push(k);
    if (k >= last) return out;
    if (granularity === "month") d.setUTCMonth(d.getUTCMonth() + 1);
    else d.setUTCDate(d.getUTCDate() + 1);
  }
}

export function Earnings() {
  const [range, setRange] = useState<Range>("30d");
  const summary = useQuery({ queryKey: ["earnings.summary"], queryFn: () => api.earnings.summary.query() });
  const { days, granularity } = RANGES[range];
  const breakdown = useQuery({
    queryKey: ["earnings.breakdown", range],
    queryFn: () => {
      const to = Date.now();
      return api.earnings.breakdown.query({ from: to - days * DAY, to, granularity });
    },
  });
  return (
    <Page title="Earnings" lead="You earn 80% of every billed execution and request. Payouts go out monthly, from $25.00; less rolls over.">
      <Loaded query={summary} what="Loading earnings">
        {(s) => (
          <div className="stats big">
            <Stat label="Pending payout">
              <Usd value={s.pendingPayoutUsd} />
            </Stat>
            <Stat label="Earned in total">
              <Usd value={s.totalEarnedUsd} />
            </Stat>
            <Stat label="Asset executions, 30 days">{formatCount(s.assetExecutions30d)}</Stat>
            <Stat label="Endpoint requests, 30 days">{formatCount(s.endpointRequests30d)}</Stat>
            {s.topProduct ? (
              <Stat label="Top product, 30 days" hint={`${formatCount(s.topProduct.transactions30d)} ${s.topProduct.transactions30d === 1 ? "sale" : "sales"} · ${formatUsd(s.topProduct.revenue30d)}`}>
                <Link className="stat-text" to="/app/seller/products/$id" params={{ id: s.topProduct.productId }}>
                  {s.topProduct.name}
                </Link>
              </Stat>
            ) : null}
          </div>
        )}
      </Loaded>
      <Card
        title="Earnings over time, by product type"
        actions={
          <div className="segmented small" role="radiogroup" aria-label="Range">
            {(Object.keys(RANGES) as Range[]).map((r) => (
              <label key={r} className={range === r ? "selected" : ""}>
                <input type="radio" name="range" checked={range === r} onChange={() => setRange(r)} />
                {r === "12m" ? "12 months" : `${RANGES[r].days} days`}
              </label>
            ))}
          </div>
        }
      >
        <Loaded query={breakdown} what="Loading the breakdown">
          {(b) => {
            if (b.byProduct.length === 0) {
              return (
                <Empty title="No sales in this period" action={<Link className="button" to="/app/seller/products">Your products</Link>}>
                  Earnings appear as buyers process your assets and call your endpoints. Make sure your products are listed.
                </Empty>
              );
            }
            const labels = periods(b.from, b.to, b.granularity);
            // Summed exactly (in micro-dollars), so many sub-cent sales still add up.
            const sum = (type: "ASSET" | "ENDPOINT") =>
              labels.map((p) => b.overTime.filter((o) => o.period === p && o.type === type).reduce((s, o) => s + Math.round(o.exactEarningsUsd * 1e6), 0) / 1e6);
            return (
              <>
                <Chart
                  title="Earnings per period by product type"
                  kind="bar"
                  labels={labels.map((p) => (b.granularity === "day" ? formatDay(Date.parse(`${p}T12:00:00Z`)) : p))}
                  series={[
                    { name: "Assets", values: sum("ASSET") },
                    { name: "Endpoints", values: sum("ENDPOINT"), color: "#15803d" },
                  ]}
                  format={(n) => formatUsd(n)}
                  unit="USD"
                  xUnit={b.granularity === "day" ? "day (UTC)" : "month (UTC)"}
                  lastLabel={b.granularity === "day" ? "Today" : "This month"}
                />
                <div className="stats">
                  <Stat label="In this period">
                    <Usd value={b.totalUsd} />
                  </Stat>
                  {b.byType.map((t) => (
                    <Stat key={t.type} label={t.type === "ASSET" ? "Assets" : "Endpoints"} hint={`${formatCount(t.sales)} ${t.sales === 1 ? "sale" : "sales"}${t.refunds ? `, ${t.refunds} refunded` : ""}`}>
                      <Usd value={t.earningsUsd} />
                    </Stat>
                  ))}
                </div>
                <ProductEarningsTable rows={b.byProduct} linked />
              </>
            );
          }}
        </Loaded>
      </Card>
      <DisputedSales />
    </Page>
  );
}

const disputeTone = { open: "warn", refunding: "info", refunded: "bad", rejected: "good" } as const;

/** Buyers' disputes of this seller's sales: a platform admin decides; a refund comes off the next payout. */
function DisputedSales() {
  const { query: disputes, pager } = usePaged(["disputes.received"], (cursor) => api.disputes.received.query({ limit: 50, cursor }));
  return (
    <Card title="Disputed sales">
      <Loaded query={disputes} what="Loading disputes">
        {({ items: list }) =>
          list.length === 0 ? (
            <Empty title="No disputes">No buyer has disputed a sale.</Empty>
          ) : (
            <ul className="list">
              {list.map((d) => (
                <DisputeItem
                  key={d.id}
                  dispute={d}
                  tones={disputeTone}
                  summary={
                    <>
                      <Usd value={d.sellerShareUsd} /> of your share · <Link to="/app/seller/products/$id" params={{ id: d.productId }}>{d.productName}</Link>
                    </>
                  }
                />
              ))}
            </ul>
          )
        }
      </Loaded>
      <Pager pager={pager} label="Disputes" />
    </Card>
  );
}
