import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../../api";
import { Credits, Usd } from "../../components/amounts";
import { Field } from "../../components/forms";
import { Badge, Card, Empty, ErrorNote, Loading, Page } from "../../components/page";
import { formatDateTime } from "../../format";

const PAGE = 50;

/** Why a logged call was not billed, in the seller's words. */
const notBilledText = { failed: "not billed: it failed", own: "not billed: your own call", free: "free product", retry: "not billed: a retry of a billed call" } as const;

export function RequestLog() {
  const [productId, setProductId] = useState("");
  const [status, setStatus] = useState<"" | "success" | "error">("");
  const products = useQuery({ queryKey: ["products.list", "all"], queryFn: () => api.products.list.query({ limit: 200 }) });
  const log = useInfiniteQuery({
    queryKey: ["products.requestLog", productId, status],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      api.products.requestLog.query({ limit: PAGE, ...(productId ? { productId } : {}), ...(status ? { status } : {}), ...(pageParam ? { cursor: pageParam } : {}) }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
    const rows = log.data?.pages.flatMap((p) => p.items) ?? [];
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
        {log.hasNextPage ? (
          <button type="button" className="button secondary" onClick={() => log.fetchNextPage()} disabled={log.isFetchingNextPage}>
            {log.isFetchingNextPage ? "Loading…" : "Older requests"}
          </button>
        ) : null}
      </Card>
    </Page>
  );
}
