import { useQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { api } from "../../api";
import { Credits, Usd } from "../../components/amounts";
import { Field } from "../../components/forms";
import { firstPage, Pager, usePaged } from "../../components/paging";
import { Badge, Card, Empty, ErrorNote, Loading, Page } from "../../components/page";
import { formatDateTime } from "../../format";

const PAGE = 50;

/** Why a logged call was not billed, in the seller's words. */
const notBilledText = { failed: "not billed: it failed", own: "not billed: your own call", free: "free product", retry: "not billed: a retry of a billed call" } as const;

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
  const rows = log.data?.items ?? [];
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
        <ErrorNote error={log.error} />
        {log.isPending ? (
          <Loading what="Loading requests" />
        ) : rows.length === 0 ? (
          <Empty title="No requests yet">Calls to your products show up here as buyers make them. List a product in the marketplace to get buyers.</Empty>
        ) : (
          <div className="table-wrap" tabIndex={0} role="region" aria-label="Requests">
            <table className="cards-on-phone">
              <thead>
                <tr>
                  <th>When</th>
                  <th>Product</th>
                  <th>Buyer</th>
                  <th>Status</th>
                  <th className="right">Rows</th>
                  <th className="right">You earn</th>
                  <th className="right">Time</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id}>
                    <td data-label="When" title={r.id}>{formatDateTime(r.createdAt)}</td>
                    <td data-label="Product">{r.productName ?? r.productId}</td>
                    <td data-label="Buyer" title={r.companyId ?? undefined}>{r.buyerName ?? <code className="small">{r.companyId}</code>}</td>
                    <td data-label="Status">
                      <Badge tone={r.status === 200 ? "good" : "bad"}>{r.status}</Badge> {r.errorCode ? <span className="muted small">{r.errorCode}</span> : null}
                      <div className="muted small">{r.method}</div>
                    </td>
                    <td data-label="Rows" className="right">{r.rows ?? "—"}</td>
                    <td data-label="You earn" className="right">
                      {r.billed && r.sellerShareUsd !== null ? (
                        <>
                          <Usd value={r.sellerShareUsd} />
                          <div className="muted small">
                            of <Usd value={r.grossUsd ?? 0} /> · <Credits value={r.credits} />
                          </div>
                        </>
                      ) : (
                        <span className="muted">{r.notBilled ? notBilledText[r.notBilled] : "not billed"}</span>
                      )}
                    </td>
                    <td data-label="Time" className="right">{r.durationMs} ms</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager pager={pager} label="Requests" />
      </Card>
    </Page>
  );
}
