import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, UploadError } from "../../api";
import { Usd } from "../../components/amounts";
import { Pager, usePaged } from "../../components/paging";
import { ProductEarningsTable } from "../../components/product-earnings";
import { Badge, Card, Empty, ErrorNote, Loaded, Page } from "../../components/page";
import { formatDate } from "../../format";
import { Link } from "@tanstack/react-router";
import { CSRF } from "../../csrf";

const tone = { paid: "good", pending: "neutral", failed: "bad", rolled_over: "info" } as const;
const statusText = { paid: "Paid", pending: "Pending", failed: "Failed, will retry", rolled_over: "Rolled over" } as const;

/** The PDF is a REST download (not tRPC): fetched with the session and the CSRF header, then saved. */
async function downloadReport(path: string, filename: string): Promise<void> {
  const res = await fetch(path, { headers: { [CSRF.header]: CSRF.value } });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
    throw new UploadError(body?.error?.code ?? "INTERNAL", body?.error?.message ?? `The report could not be downloaded (HTTP ${res.status}).`);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function Payouts() {
  const { query: payouts, pager } = usePaged(["payouts.list"], (cursor) => api.payouts.list.query({ limit: 24, cursor }));
  const connect = useQuery({ queryKey: ["connect.status"], queryFn: () => api.connect.status.query() });
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Page title="Payouts" lead="After each month ends, Tessera pays the month's earnings (plus anything rolled over) to your Stripe account, from $25.00. Each payout has a PDF report.">
      {connect.data && connect.data.status !== "verified" ? (
        <div className="note warning">
          Payouts need a verified Stripe account; until then your earnings wait for you. <Link to="/app/seller/stripe">Connect Stripe</Link>
        </div>
      ) : null}
      <Card>
        <Loaded query={payouts} what="Loading payouts">
          {({ items: list }) =>
            list.length === 0 ? (
              <Empty title="No payouts yet" action={<Link className="button secondary" to="/app/seller/earnings">See earnings</Link>}>
                Your first payout comes after the month in which you first earn. Earnings below $25.00 roll over to the next month.
              </Empty>
            ) : (
              <ul className="list">
                {list.map((p) => (
                  <li key={p.id} className="list-item">
                    <div className="row-between">
                      <div>
                        <strong>{p.period}</strong> <Badge tone={tone[p.status]}>{statusText[p.status]}</Badge>
                        <div className="muted small">
                          Earned <Usd value={p.earningsUsd} /> · carried in <Usd value={p.carriedInUsd} /> · carried out <Usd value={p.carriedOutUsd} />
                          {p.paidAt ? ` · paid ${formatDate(p.paidAt)}` : ""}
                          {p.transferId ? (
                            <>
                              {" "}
                              · <code>{p.transferId}</code>
                            </>
                          ) : null}
                        </div>
                        {p.failure ? <div className="small error-text">{p.failure.message}</div> : null}
                      </div>
                      <div className="actions">
                        <strong className="amount">
                          <Usd value={p.amountUsd} />
                        </strong>
                        <button type="button" className="button small secondary" onClick={() => setOpen(open === p.id ? null : p.id)}>
                          {open === p.id ? "Hide lines" : "Line items"}
                        </button>
                      </div>
                    </div>
                    {open === p.id ? <PayoutLines id={p.id} /> : null}
                  </li>
                ))}
              </ul>
            )
          }
        </Loaded>
        <Pager pager={pager} label="Payouts" />
      </Card>
    </Page>
  );
}

function PayoutLines({ id }: { id: string }) {
  const detail = useQuery({ queryKey: ["payouts.get", id], queryFn: () => api.payouts.get.query({ id }) });
  const download = useMutation({ mutationFn: ({ path, name }: { path: string; name: string }) => downloadReport(path, name) });
  return (
    <Loaded query={detail} what="Loading line items">
      {(d) => (
        <div className="stack">
          <ProductEarningsTable rows={d.lines} />
          {d.reportPath ? (
            <div className="actions">
              <button type="button" className="button small" disabled={download.isPending} onClick={() => download.mutate({ path: d.reportPath!, name: `tessera-payout-${d.period}.pdf` })}>
                Download PDF report
              </button>
            </div>
          ) : (
            <p className="muted small">The PDF report is being prepared.</p>
          )}
          <ErrorNote error={download.error} />
        </div>
      )}
    </Loaded>
  );
}
