import { api, type Outputs } from "../../api";
import { Credits } from "../../components/amounts";
import { columnsFor, DataTable } from "../../components/data-table";
import { Field } from "../../components/forms";
import { Badge, Card, Empty, Page } from "../../components/page";
import { firstPage, usePaged } from "../../components/paging";
import { entryKind, formatDateTime, formatUsd } from "../../format";
import { getRouteApi, Link } from "@tanstack/react-router";
import { ledgerKinds, type LedgerKind } from "../../../../../src/wallet/kinds";

const KINDS = ledgerKinds;
type Kind = LedgerKind;

type Entry = Outputs["credits"]["history"]["items"][number];
const col = columnsFor<Entry>();

/** What an entry was for: the product and its seller by name, or the entry's reason. */
function Detail({ entry: e }: { entry: Entry }) {
  if (!e.productId) return <>{e.reason ?? "—"}</>;
  // One element, so a phone's card keeps the name and its line together.
  return (
    <span>
      {e.productName ?? e.productId}
      <span className="muted small block">
        {e.productType === "endpoint" ? "Endpoint" : "Asset"}
        {e.sellerName ? ` by ${e.sellerName}` : ""}
        {e.grossUsd !== null ? ` · ${formatUsd(e.grossUsd)}` : ""}
      </span>
    </span>
  );
}

const columns = [
  col.accessor("createdAt", { header: "When", cell: (c) => formatDateTime(c.getValue()) }),
  col.accessor("kind", { header: "Kind", cell: (c) => <Badge tone={c.row.original.credits < 0 ? "neutral" : "good"}>{entryKind(c.getValue())}</Badge> }),
  col.display({ id: "detail", header: "Detail", cell: (c) => <Detail entry={c.row.original} /> }),
  col.accessor("credits", { header: "Credits", meta: { align: "right" }, cell: (c) => <Credits value={c.getValue()} sign /> }),
  col.accessor("balanceAfter", { header: "Balance after", meta: { align: "right" }, cell: (c) => <Credits value={c.getValue()} /> }),
  // The id a dispute asks for, shown where the buyer finds the charge.
  col.accessor("id", { header: "Transaction id", enableSorting: false, cell: (c) => <code className="small">{c.getValue()}</code> }),
  col.display({
    id: "dispute",
    header: "Dispute",
    cell: (c) =>
      c.row.original.kind === "charge" ? (
        <Link className="small" to="/app/disputes" search={{ transaction: c.row.original.id }}>
          Dispute
        </Link>
      ) : null,
  }),
];

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
  const toggle = (k: Kind) => {
    const next = kinds.includes(k) ? kinds.filter((x) => x !== k) : [...kinds, k];
    filter({ kinds: next.length ? next : undefined });
  };
  const filtered = Boolean(kinds.length || from || to);
  return (
    <Page title="Transactions" lead="Every movement of your credits, newest first: top-ups, plan credits, grants, charges, refunds.">
      <Card>
        <div className="filters">
          <fieldset className="choices inline">
            <legend>Kinds</legend>
            {KINDS.map((k) => (
              <label key={k}>
                <input type="checkbox" checked={kinds.includes(k)} onChange={() => toggle(k)} /> {entryKind(k)}
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
        <DataTable
          label="Transactions"
          columns={columns}
          list={{ query: history, pager }}
          rowKey={(e) => e.id}
          empty={
            <Empty title={filtered ? "No transactions match" : "No transactions yet"} action={<Link className="button" to="/app/credits/buy">Buy credits</Link>}>
              {filtered ? "Widen the dates or clear the kinds." : "Your first credits will show here."}
            </Empty>
          }
        />
      </Card>
    </Page>
  );
}
