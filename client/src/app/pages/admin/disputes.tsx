import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, type Outputs } from "../../api";
import { Credits, Usd } from "../../components/amounts";
import { Dialog } from "../../components/dialog";
import { Field } from "../../components/forms";
import { Badge, Card, Empty, ErrorNote, Loaded, Note, Page } from "../../components/page";
import { Pager, usePaged } from "../../components/paging";
import { formatDateTime } from "../../format";
import { getRouteApi, Link } from "@tanstack/react-router";

type Review = Outputs["disputes"]["list"]["items"][number];
type Status = "" | "open" | "refunding" | "refunded" | "rejected";
const route = getRouteApi("/app/admin/disputes");

const statusTone = { open: "warn", refunding: "info", refunded: "good", rejected: "neutral" } as const;
const statusText = { open: "Open", refunding: "Refunding", refunded: "Refunded", rejected: "Rejected" } as const;

/**
 * Platform admins review disputes: the buyer's reason beside the request-log
 * record of the call it is about (what was asked, what came back, what was
 * billed), then refund or reject. A refund gives the buyer its credits back
 * and takes the seller's share off the seller's next payout.
 */
export function AdminDisputes() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  // The address says nothing for the open ones, the queue staff work from, and "all" for every status.
  const status: Status = search.status === "all" ? "" : (search.status ?? "open");
  const setStatus = (next: Status) => void navigate({ search: { status: next === "open" ? undefined : next || "all" } });
  const { query, pager } = usePaged(["disputes.list", status], (cursor) => api.disputes.list.query({ limit: 25, cursor, ...(status ? { status } : {}) }), { inUrl: true });
  return (
    <Page title="Disputes" lead="What buyers dispute, with the request behind each. Refund gives the credits back and comes off the seller's next payout; reject leaves both as they are.">
      <Card>
        <div className="filters">
          <Field label="Status">
            <select value={status} onChange={(e) => setStatus(e.target.value as Status)}>
              <option value="open">Open</option>
              <option value="refunding">Refunding</option>
              <option value="refunded">Refunded</option>
              <option value="rejected">Rejected</option>
              <option value="">All</option>
            </select>
          </Field>
        </div>
        <Loaded query={query} what="Loading disputes">
          {({ items }) =>
            items.length === 0 ? (
              <Empty title={status === "open" ? "No open disputes" : "No disputes here"}>Disputes buyers open show up here for review.</Empty>
            ) : (
              <ul className="list">
                {items.map((d) => (
                  <DisputeItem key={d.id} dispute={d} />
                ))}
              </ul>
            )
          }
        </Loaded>
        <Pager pager={pager} label="Disputes" />
      </Card>
    </Page>
  );
}

function DisputeItem({ dispute: d }: { dispute: Review }) {
  const log = d.requestLog;
  return (
    <li className="list-item stack" aria-label={`Dispute about ${d.productName ?? d.productId}`}>
      <div className="row-between">
        <div>
          <strong>{d.productName ?? d.productId}</strong> <Badge tone={statusTone[d.status]}>{statusText[d.status]}</Badge>
          <div className="muted small">
            <Link to="/app/admin/companies/$id" params={{ id: d.buyerCompanyId }}>{d.buyerName ?? d.buyerCompanyId}</Link> disputes a charge of <Credits value={d.credits} /> (
            <Usd value={d.grossUsd} />, seller's share <Usd value={d.sellerShareUsd} />) from{" "}
            <Link to="/app/admin/companies/$id" params={{ id: d.sellerCompanyId }}>{d.sellerName ?? d.sellerCompanyId}</Link> · opened {formatDateTime(d.createdAt)}
          </div>
        </div>
        {d.status === "open" ? <Resolve dispute={d} /> : null}
      </div>
      <blockquote className="quote">{d.reason}</blockquote>
      {log ? (
        <dl className="facts small" aria-label="The request behind it">
          <div>
            <dt>Request</dt>
            <dd>
              <code>{log.id}</code>
            </dd>
          </div>
          <div>
            <dt>When</dt>
            <dd>{formatDateTime(log.createdAt)}</dd>
          </div>
          <div>
            <dt>Call</dt>
            <dd>
              {log.method} → {log.status}
              {log.errorCode ? ` ${log.errorCode}` : ""}
            </dd>
          </div>
          <div>
            <dt>Rows</dt>
            <dd>{log.rows ?? "—"}</dd>
          </div>
          <div>
            <dt>Billed</dt>
            <dd>{log.billed ? <Credits value={log.credits} /> : "Not billed"}</dd>
          </div>
          <div>
            <dt>Time</dt>
            <dd>{log.durationMs} ms</dd>
          </div>
        </dl>
      ) : (
        <p className="muted small">The request's log record has been archived.</p>
      )}
      {d.resolutionNote ? <p className="small">Resolution: {d.resolutionNote}</p> : null}
    </li>
  );
}

function Resolve({ dispute }: { dispute: Review }) {
  const qc = useQueryClient();
  const [outcome, setOutcome] = useState<"refunded" | "rejected" | null>(null);
  const [note, setNote] = useState("");
  const resolve = useMutation({
    mutationFn: (o: "refunded" | "rejected") => api.disputes.resolve.mutate({ id: dispute.id, outcome: o, ...(note.trim() ? { note: note.trim() } : {}) }),
    onSuccess: () => {
      setOutcome(null);
      return Promise.all([qc.invalidateQueries({ queryKey: ["disputes.list"] }), qc.invalidateQueries({ queryKey: ["admin.companies"] })]);
    },
  });
  return (
    <div className="actions">
      <button type="button" className="button small" onClick={() => setOutcome("refunded")}>
        Refund
      </button>
      <button type="button" className="button small secondary" onClick={() => setOutcome("rejected")}>
        Reject
      </button>
      <ErrorNote error={resolve.error} />
      {outcome ? (
        <Dialog title={outcome === "refunded" ? "Refund this dispute?" : "Reject this dispute?"} onClose={() => setOutcome(null)}>
          <form
            className="stack"
            onSubmit={(e) => {
              e.preventDefault();
              resolve.mutate(outcome);
            }}
          >
            <Note>
              {outcome === "refunded"
                ? `${dispute.buyerName ?? "The buyer"} gets its credits back; ${dispute.sellerName ?? "the seller"}'s share comes off its next payout.`
                : "Nothing moves; the buyer sees the dispute rejected with your note."}
            </Note>
            <Field label="Note to the buyer and seller (optional)">
              <textarea value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} rows={3} />
            </Field>
            <ErrorNote error={resolve.error} />
            <div className="actions">
              <button type="button" className="button secondary" onClick={() => setOutcome(null)}>
                Cancel
              </button>
              <button type="submit" className={`button ${outcome === "rejected" ? "danger" : ""}`} disabled={resolve.isPending}>
                {outcome === "refunded" ? "Refund" : "Reject"}
              </button>
            </div>
          </form>
        </Dialog>
      ) : null}
    </div>
  );
}
