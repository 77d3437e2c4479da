import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, type Outputs } from "../../api";
import { Stat, Usd } from "../../components/amounts";
import { columnsFor, DataTable, NoRows } from "../../components/data-table";
import { ConfirmButton } from "../../components/dialog";
import { Field } from "../../components/forms";
import { Badge, Card, ErrorNote, Loaded, Note, Page } from "../../components/page";
import { usePaged } from "../../components/paging";
import { formatDateTime } from "../../format";
import { Link } from "@tanstack/react-router";

type Row = Outputs["admin"]["payouts"]["items"][number];
type Status = "" | "pending" | "paid" | "failed" | "rolled_over";
const col = columnsFor<Row>();

const tone = { paid: "good", pending: "neutral", failed: "bad", rolled_over: "info" } as const;
const statusText = { paid: "Paid", pending: "Due", failed: "Failed", rolled_over: "Rolled over" } as const;

const columns = [
  col.accessor("sellerName", { header: "Seller", cell: (c) => <Link to="/app/admin/companies/$id" params={{ id: c.row.original.companyId }}>{c.getValue() ?? c.row.original.companyId}</Link> }),
  col.accessor("period", { header: "Month" }),
  col.accessor("status", { header: "Status", cell: (c) => <Badge tone={tone[c.getValue()]}>{statusText[c.getValue()]}</Badge> }),
  col.accessor("amountUsd", { header: "Amount", meta: { align: "right" }, cell: (c) => <Usd value={c.getValue()} /> }),
  col.accessor("carriedOutUsd", { header: "Carried over", meta: { align: "right" }, cell: (c) => <Usd value={c.getValue()} /> }),
  col.accessor("attempt", { header: "Attempts", meta: { align: "right" } }),
  col.accessor((r) => r.failure?.message ?? (r.paidAt ? `Paid ${formatDateTime(r.paidAt)}` : "—"), { id: "detail", header: "Detail", enableSorting: false }),
];

function lastMonth(): string {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return d.toISOString().slice(0, 7);
}

/**
 * Platform admins: every seller's payouts by month and status. A failed
 * payout is retried by running its month again: the run pays each seller's
 * open payouts first and skips what is already paid.
 */
export function AdminPayouts() {
  const qc = useQueryClient();
  const [month, setMonth] = useState(lastMonth());
  const [status, setStatus] = useState<Status>("");
  const list = usePaged(["admin.payouts", month, status], (cursor) => api.admin.payouts.query({ cursor, ...(month ? { month } : {}), ...(status ? { status } : {}) }));
  const summary = useQuery({ queryKey: ["payouts.month", month], queryFn: () => api.payouts.month.query({ month }), enabled: Boolean(month) });
  const run = useMutation({
    mutationFn: () => api.payouts.run.mutate({ month }),
    onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: ["admin.payouts"] }), qc.invalidateQueries({ queryKey: ["payouts.month"] })]),
  });
  return (
    <Page
      title="Payouts"
      lead="What each seller is due, was paid, or failed to receive, month by month."
      actions={
        // A month is paid once it is over (payouts.run refuses the others).
        month && month <= lastMonth() ? (
          <ConfirmButton label={`Run ${month} again`} className="button" title={`Run the payouts of ${month}?`} confirm="Run payouts" onConfirm={() => run.mutate()} disabled={run.isPending}>
            Every seller with an open payout for {month} is paid now: failed payouts are retried, paid ones are left alone.
          </ConfirmButton>
        ) : null
      }
    >
      {run.isSuccess ? <Note kind="success">The payouts of {month} are on their way; refresh in a moment to see them.</Note> : null}
      <ErrorNote error={run.error} />
      {month ? (
        <Card title={`${month} at a glance`}>
          <Loaded query={summary} what="Loading the month">
            {(s) => (
              <div className="stats">
                <Stat label="Due">{s.payouts.pending}</Stat>
                <Stat label="Paid" hint={<Usd value={s.paidUsd} />}>{s.payouts.paid}</Stat>
                <Stat label="Failed">{s.payouts.failed}</Stat>
                <Stat label="Rolled over" hint={<>carried <Usd value={s.carriedOutUsd} /></>}>{s.payouts.rolled_over}</Stat>
              </div>
            )}
          </Loaded>
        </Card>
      ) : null}
      <Card>
        <div className="filters">
          <Field label="Month">
            <input type="month" value={month} onChange={(e) => setMonth(e.target.value)} />
          </Field>
          <Field label="Status">
            <select value={status} onChange={(e) => setStatus(e.target.value as Status)}>
              <option value="">All</option>
              <option value="pending">Due</option>
              <option value="paid">Paid</option>
              <option value="failed">Failed</option>
              <option value="rolled_over">Rolled over</option>
            </select>
          </Field>
        </div>
        <DataTable label="Payouts" columns={columns} list={list} rowKey={(r) => r.id} empty={<NoRows title="No payouts here">Payouts are made when a month is run, after it ends.</NoRows>} />
      </Card>
    </Page>
  );
}
