import { api } from "../../api";
import { Credits } from "../../components/amounts";
import { Field } from "../../components/forms";
import { firstPage, Pager, usePaged } from "../../components/paging";
import { Badge, Card, Empty, ErrorNote, Loading, Page } from "../../components/page";
import { formatDateTime, formatUsd } from "../../format";
import { getRouteApi, Link } from "@tanstack/react-router";

const KINDS = ["purchase", "subscription", "grant", "allocation", "refund", "adjustment", "charge", "expiry"] as const;
type Kind = (typeof KINDS)[number];

function dayStart(text: string): number | undefined {
  return text ? new Date(`${text}T00:00:00`).getTime() : undefined;
}

const route = getRouteApi("/app/transactions");

/** The filters and the page are the address's search parameters (routes.tsx), so a view can be reloaded and shared. */
export function Transactions() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const kinds: Kind[] = search.kinds ?? [];
  const from = search.from ?? "";
  const to = search.to ?? "";
  const filter = (next: { kinds?: Kind[]; from?: string; to?: string }) =>
    void navigate({ search: (prev) => ({ ...prev, ...firstPage, ...next }), replace: true });
  const setFrom = (value: string) => filter({ from: value || undefined });
  const setTo = (value: string) => filter({ to: value || undefined });
  const range = { from: dayStart(from), to: to ? dayStart(to)! + 86_400_000 - 1 : undefined };
  const { query: history, pager } = usePaged(
    ["credits.history", kinds, range.from, range.to],
    (cursor) =>
      api.credits.history.query({
        limit: 50,
        ...(kinds.length ? { kinds } : {}),
        ...(range.from ? { from: range.from } : {}),
        ...(range.to ? { to: range.to } : {}),
        ...(cursor ? { cursor } : {}),
      }),
    { inUrl: true },
  );
  const items = history.data?.items ?? [];
  const toggle = (k: Kind) => {
    const next = kinds.includes(k) ? kinds.filter((x) => x !== k) : [...kinds, k];
    filter({ kinds: next.length ? next : undefined });
  };
  const filtered = Boolean(kinds.length || from || to);
  return (
    <Page title="Transactions" lead="Every movement of your credits, newest first: purchases, plan credits, grants, charges, refunds.">
      <Card>
        <div className="filters">
          <fieldset className="choices inline">
            <legend>Kinds</legend>
            {KINDS.map((k) => (
              <label key={k}>
                <input type="checkbox" checked={kinds.includes(k)} onChange={() => toggle(k)} /> {k}
              </label>
            ))}
          </fieldset>
          <Field label="From">
            <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
          </Field>
          <Field label="To">
            <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
          </Field>
        </div>
        <ErrorNote error={history.error} />
        {history.isPending ? (
          <Loading what="Loading transactions" />
        ) : items.length === 0 ? (
          <Empty title={filtered ? "No transactions match" : "No transactions yet"} action={<Link className="button" to="/app/credits/buy">Buy credits</Link>}>
            {filtered ? "Widen the dates or clear the kinds." : "Your first purchase of credits will show here."}
          </Empty>
        ) : (
          <div className="table-wrap" tabIndex={0} role="region" aria-label="Transactions">
            <table>
              <thead>
                <tr>
                  <th>When</th>
                  <th>Kind</th>
                  <th>Detail</th>
                  <th className="right">Credits</th>
                  <th className="right">Balance after</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {items.map((e) => (
                  <tr key={e.id}>
                    <td>{formatDateTime(e.createdAt)}</td>
                    <td>
                      <Badge tone={e.credits < 0 ? "neutral" : "good"}>{e.kind}</Badge>
                    </td>
                    <td className="small">
                      {e.productId ? (
                        <>
                          {e.productType} <code>{e.productId}</code>
                          {e.grossUsd !== null ? ` · ${formatUsd(e.grossUsd)}` : ""}
                        </>
                      ) : (
                        e.reason ?? <span className="muted">{e.operationId}</span>
                      )}
                    </td>
                    <td className="right">
                      <Credits value={e.credits} sign />
                    </td>
                    <td className="right">
                      <Credits value={e.balanceAfter} />
                    </td>
                    <td className="right">
                      {e.kind === "charge" ? (
                        <Link className="small" to="/app/disputes" search={{ transaction: e.id }}>
                          Dispute
                        </Link>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager pager={pager} label="Transactions" />
      </Card>
    </Page>
  );
}
