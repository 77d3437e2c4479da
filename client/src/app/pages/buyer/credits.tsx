import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { api, type Outputs } from "../../api";
import { Credits, Stat, Usd } from "../../components/amounts";
import { Chart } from "../../components/chart";
import { columnsFor, DataTable } from "../../components/data-table";
import { Badge, Card, Empty, ErrorNote, Loaded, Loading, Note, Page, Progress } from "../../components/page";
import { formatCount, formatCredits, formatDateTime, formatUsd } from "../../format";
import { getRouteApi, Link, useNavigate } from "@tanstack/react-router";
import { dailySeries, ledgerSince } from "./ledger";

const DAYS = 30;

const route = getRouteApi("/app/credits");

export function CreditsPage() {
  const search = route.useSearch();
  const balance = useQuery({ queryKey: ["credits.balance"], queryFn: () => api.credits.balance.query() });
  const usage = useQuery({ queryKey: ["credits.usage"], queryFn: () => api.credits.usage.query() });
  const order = search.order;
  return (
    <Page
      title="Credits"
      lead="Your company's prepaid balance. Credits never expire; failed work is never billed."
      actions={
        <Link className="button" to="/app/credits/buy">
          Buy credits
        </Link>
      }
    >
      {order ? <CheckoutOutcome orderId={order} canceled={search.checkout === "canceled"} /> : null}
      <Loaded query={balance} what="Loading the balance">
        {(b) => (
          <>
            {b.lowBalanceWarning ? (
              <Note kind="warning">
                Your balance is below your alert threshold of {formatCredits(b.lowBalanceThreshold)}. <Link to="/app/credits/buy">Buy credits</Link> or set up{" "}
                <Link to="/app/settings">auto-refill</Link>.
              </Note>
            ) : null}
            <div className="stats big" data-testid="balance">
              <Stat label="Available" hint={b.heldCredits ? `${formatCredits(b.heldCredits)} held for work in progress` : undefined}>
                <span data-testid="available-credits">
                  <Credits value={b.availableCredits} />
                </span>
              </Stat>
              <Stat label="Balance">
                <Credits value={b.balanceCredits} />
              </Stat>
              <Stat label="Worth">
                <Usd value={b.balanceUsd} />
              </Stat>
            </div>
          </>
        )}
      </Loaded>
      <Loaded query={usage}>
        {(u) => (
          <div className="stats">
            <Stat label="Spent, last 30 days">
              <Credits value={u.spentCredits} /> <span className="muted small">({formatUsd(u.spentUsd)})</span>
            </Stat>
            <Stat label="Asset executions, 30 days">{formatCount(u.assetExecutions)}</Stat>
            <Stat label="Endpoint requests, 30 days">{formatCount(u.endpointRequests)}</Stat>
          </div>
        )}
      </Loaded>
      <UsageCharts />
      <Orders />
    </Page>
  );
}

function UsageCharts() {
  const since = Date.now() - DAYS * 86_400_000;
  const ledger = useQuery({ queryKey: ["credits.ledgerSince", DAYS], queryFn: () => ledgerSince(since) });
  if (ledger.error) return <ErrorNote error={ledger.error} />;
  if (!ledger.data) return <Loading what="Loading usage" />;
  if (ledger.data.entries.length === 0) {
    return (
      <Card title="Usage over time">
        <Empty title="No activity in the last 30 days">Buy credits, then process an asset or call an endpoint: your spending shows here day by day.</Empty>
      </Card>
    );
  }
  const series = dailySeries(ledger.data.entries, DAYS);
  return (
    <div className="grid two">
      <Card title="Spent per day">
        <Chart
          title="Credits spent per day"
          kind="bar"
          labels={series.labels}
          series={[{ name: "Credits spent", values: series.spent }]}
          format={(n) => formatCredits(n, { unit: false })}
          unit="credits"
          xUnit="day"
          lastLabel="Today"
          empty="No credits spent in the last 30 days: process an asset or call an endpoint."
        />
      </Card>
      <Card title="Balance">
        <Chart
          title="Balance at the end of each day"
          labels={series.labels}
          series={[{ name: "Balance at day's end", values: series.balance, color: "#15803d" }]}
          format={(n) => formatCredits(n, { unit: false })}
          unit="credits"
          xUnit="day"
          lastLabel="Today"
          empty="Your balance has been zero all month."
        />
        {ledger.data.truncated ? <p className="muted small">Showing the latest 1,000 ledger entries.</p> : null}
      </Card>
    </div>
  );
}

/** Back from Checkout: the order's fate, polled until Stripe's webhook lands. */
function CheckoutOutcome({ orderId, canceled }: { orderId: string; canceled: boolean }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const order = useQuery({
    queryKey: ["billing.order", orderId],
    queryFn: () => api.billing.order.query({ id: orderId }),
    refetchInterval: (q) => (q.state.data?.status === "pending" && !canceled ? 1000 : false),
  });
  const status = order.data?.status;
  useEffect(() => {
    if (status === "paid") {
      void qc.invalidateQueries({ queryKey: ["credits.balance"] });
      void qc.invalidateQueries({ queryKey: ["credits.ledgerSince"] });
      void qc.invalidateQueries({ queryKey: ["billing.orders"] });
    }
  }, [status]);
  if (order.error) return <ErrorNote error={order.error} />;
  if (!order.data) return <Loading what="Checking your payment" />;
  const o = order.data;
  const dismiss = (
    <button type="button" className="link" onClick={() => void navigate({ to: "/app/credits", replace: true })}>
      Dismiss
    </button>
  );
  if (o.status === "paid") {
    return (
      <Note kind="success">
        Payment received: <strong>{formatCredits(o.totalCredits, { sign: true })}</strong> added to your balance. {dismiss}
      </Note>
    );
  }
  if (canceled) return <Note kind="warning">Checkout canceled: nothing was charged. {dismiss}</Note>;
  if (o.status === "pending") return <Progress label="Waiting for Stripe to confirm the payment" />;
  return (
    <Note kind="warning">
      This purchase {o.status}
      {o.failureReason ? `: ${o.failureReason}` : "."} {dismiss}
    </Note>
  );
}

type Order = Outputs["billing"]["orders"]["items"][number];
const orderCol = columnsFor<Order>();

function orderColumns(what: (o: Order) => string) {
  return [
    orderCol.accessor("createdAt", { header: "When", cell: (c) => formatDateTime(c.getValue()) }),
    orderCol.accessor((o) => what(o), { id: "what", header: "What" }),
    orderCol.accessor("status", {
      header: "Status",
      cell: (c) => <Badge tone={c.getValue() === "paid" ? "good" : c.getValue() === "pending" ? "neutral" : "bad"}>{c.getValue()}</Badge>,
    }),
    orderCol.accessor("totalCredits", { header: "Credits", meta: { align: "right" }, cell: (c) => <Credits value={c.getValue()} /> }),
    orderCol.accessor("priceUsd", { header: "Paid", meta: { align: "right" }, cell: (c) => <Usd value={c.getValue()} /> }),
  ];
}

function Orders() {
  const orders = useQuery({ queryKey: ["billing.orders"], queryFn: () => api.billing.orders.query({ limit: 10 }) });
  const catalogue = useQuery({ queryKey: ["billing.catalogue"], queryFn: () => api.billing.catalogue.query(), staleTime: 300_000 });
  const names = new Map([...(catalogue.data?.bundles ?? []), ...(catalogue.data?.plans ?? [])].map((i) => [i.id, `${i.name} ${i.kind === "bundle" ? "bundle" : `plan (${i.interval === "year" ? "annual" : "monthly"})`}`]));
  const what = (o: { item: string | null; kind: string }) => (o.item ? (names.get(o.item) ?? o.item) : o.kind === "on_demand" ? "On-demand credits" : o.kind.replace("_", " "));
  return (
    <Card title="Purchases of credits" actions={<Link to="/app/transactions">All transactions</Link>}>
      <Loaded query={orders}>
        {(page) =>
          page.items.length === 0 ? (
            <Empty title="No credit purchases yet" action={<Link className="button" to="/app/credits/buy">Buy credits</Link>}>
              Buy on demand (10 credits or more), a bundle with bonus credits, or a plan.
            </Empty>
          ) : (
            <DataTable label="Orders" columns={orderColumns(what)} list={{ rows: page.items }} rowKey={(o) => o.id} empty={null} />
          )
        }
      </Loaded>
    </Card>
  );
}
