import { useQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { api, type Outputs } from "../../api";
import { Credits, Usd } from "../../components/amounts";
import { columnsFor, DataTable } from "../../components/data-table";
import { Field } from "../../components/forms";
import { Badge, Card, Empty, Page } from "../../components/page";
import { firstPage, usePaged } from "../../components/paging";
import { formatDateTime } from "../../format";

const PAGE = 50;

/** Why a logged call was not billed, in the seller's words. */
const notBilledText = { failed: "not billed: it failed", own: "not billed: your own call", free: "free product", retry: "not billed: a retry of a billed call" } as const;

/** Where a call came in, as a person says it (the log's method is POST for every in-app or agent call). */
const channelText = { api: "API", app: "In the app", mcp: "AI agent (MCP)" } as const;

type Row = Outputs["products"]["requestLog"]["items"][number];
const col = columnsFor<Row>();

const columns = [
  col.accessor("createdAt", { header: "When", cell: (c) => <span title={c.row.original.id}>{formatDateTime(c.getValue())}</span> }),
  col.accessor((r) => r.productName ?? r.productId ?? "—", { id: "product", header: "Product" }),
  col.accessor((r) => r.buyerName ?? r.companyId ?? "—", {
    id: "buyer",
    header: "Buyer",
    cell: (c) => (c.row.original.buyerName ? <span title={c.row.original.companyId ?? undefined}>{c.getValue()}</span> : <code className="small">{c.getValue()}</code>),
  }),
  col.accessor("status", {
    header: "Status",
    // One element per cell, so a phone's card keeps a cell's lines together on the right.
    cell: (c) => (
      <span>
        <Badge tone={c.getValue() === 200 ? "good" : "bad"}>{c.getValue()}</Badge> {c.row.original.errorCode ? <span className="muted small">{c.row.original.errorCode}</span> : null}
        <span className="muted small block">
          {c.row.original.channel === "api" ? `${channelText.api} · ${c.row.original.method}` : channelText[c.row.original.channel]}
        </span>
      </span>
    ),
  }),
  col.accessor("rows", { header: "Rows", meta: { align: "right" }, cell: (c) => c.getValue() ?? "—" }),
  col.accessor((r) => r.sellerShareUsd ?? 0, {
    id: "earned",
    header: "You earn",
    meta: { align: "right" },
    cell: ({ row: { original: r } }) =>
      r.billed && r.sellerShareUsd !== null ? (
        <span>
          <Usd value={r.sellerShareUsd} />
          <span className="muted small block">
            of <Usd value={r.grossUsd ?? 0} /> · <Credits value={r.credits} />
          </span>
        </span>
      ) : (
        <span className="muted">{r.notBilled ? notBilledText[r.notBilled] : "not billed"}</span>
      ),
  }),
  col.accessor("durationMs", { header: "Time", meta: { align: "right" }, cell: (c) => `${c.getValue()} ms` }),
];

const route = getRouteApi("/app/seller/requests");

/** The filters and the page are the address's search parameters (routes.tsx), so a view can be reloaded and shared. */
export function RequestLog() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const productId = search.product ?? "";
  const status = search.status ?? "";
  const setProductId = (value: string) => void navigate({ search: (prev) => ({ ...prev, ...firstPage, product: value || undefined }), replace: true });
  const setStatus = (value: typeof status) => void navigate({ search: (prev) => ({ ...prev, ...firstPage, status: value || undefined }), replace: true });
  const products = useQuery({ queryKey: ["products.list", "all"], queryFn: () => api.products.list.query({ limit: 200 }) });
  const { query: log, pager } = usePaged(
    ["products.requestLog", productId, status],
    (cursor) => api.products.requestLog.query({ limit: PAGE, ...(productId ? { productId } : {}), ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) }),
    { inUrl: true },
  );
  return (
    <Page title="Request log" lead="Every metered call to your products: who, what, the outcome and whether it was billed. The facts behind any dispute.">
      <Card>
        <div className="filters">
          <Field label="Product">
            <select value={productId} onChange={(e) => setProductId(e.target.value)}>
              <option value="">All products</option>
              {(products.data?.items ?? []).map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Outcome">
            <select value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
              <option value="">All</option>
              <option value="success">Succeeded (200)</option>
              <option value="error">Failed</option>
            </select>
          </Field>
        </div>
        <DataTable
          label="Requests"
          className="request-log"
          columns={columns}
          list={{ query: log, pager }}
          rowKey={(r) => r.id}
          empty={<Empty title="No requests yet">Calls to your products show up here as buyers make them. List a product in the marketplace to get buyers.</Empty>}
        />
      </Card>
    </Page>
  );
}
