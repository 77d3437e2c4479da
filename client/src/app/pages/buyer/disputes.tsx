import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api } from "../../api";
import { Pager, usePaged } from "../../components/paging";
import { Credits } from "../../components/amounts";
import { Field } from "../../components/forms";
import { DisputeItem } from "../../components/dispute";
import { Card, Empty, ErrorNote, Loaded, Note, Page } from "../../components/page";
import { getRouteApi, Link } from "@tanstack/react-router";

const tone = { open: "warn", refunding: "info", refunded: "good", rejected: "bad" } as const;

const route = getRouteApi("/app/disputes");

export function Disputes() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const qc = useQueryClient();
  const status = search.status ?? "";
  const setStatus = (next: typeof status) => void navigate({ search: (prev) => ({ ...prev, status: next || undefined }), replace: true });
  const { query: disputes, pager } = usePaged(["disputes.mine", status], (cursor) => api.disputes.mine.query({ limit: 50, cursor, ...(status ? { status } : {}) }));
  const [form, setForm] = useState({ by: search.request ? "request" : "transaction", id: search.transaction ?? search.request ?? "", reason: "" });
  const open = useMutation({
    mutationFn: () =>
      api.disputes.open.mutate({ reason: form.reason, ...(form.by === "request" ? { requestId: form.id.trim() } : { transactionId: form.id.trim() }) }),
    onSuccess: () => {
      setForm({ ...form, id: "", reason: "" });
      void qc.invalidateQueries({ queryKey: ["disputes.mine"] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    open.mutate();
  };
  return (
    <Page title="Disputes" lead="Think a charge was wrong? Open a dispute on it: a platform admin checks it against the request log and refunds the credits or explains why not.">
      <Card title="Open a dispute">
        <form className="stack" onSubmit={submit}>
          <div className="grid two tight">
            <Field label="Which charge">
              <select value={form.by} onChange={(e) => setForm({ ...form, by: e.target.value })}>
                <option value="transaction">Transaction id (from Transactions)</option>
                <option value="request">Request id (from the API response)</option>
              </select>
            </Field>
            <Field label={form.by === "request" ? "Request id" : "Transaction id"}>
              <input required value={form.id} onChange={(e) => setForm({ ...form, id: e.target.value })} placeholder={form.by === "request" ? "req_…" : ""} />
            </Field>
          </div>
          <Field label="What went wrong">
            <textarea required minLength={3} rows={3} value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} />
          </Field>
          <ErrorNote error={open.error} />
          {open.isSuccess ? <Note kind="success">Dispute opened. You'll see the outcome here.</Note> : null}
          <div className="actions">
            <button className="button" type="submit" disabled={open.isPending}>
              Open dispute
            </button>
            <Link to="/app/transactions" search={{ kinds: ["charge"] }}>Find a charge in your transactions</Link>
          </div>
        </form>
      </Card>
      <Card
        title="Your disputes"
        actions={
          <select aria-label="Status" value={status} onChange={(e) => setStatus(e.target.value as typeof status)} style={{ width: "auto" }}>
            <option value="">All</option>
            <option value="open">Open</option>
            <option value="refunded">Refunded</option>
            <option value="rejected">Rejected</option>
          </select>
        }
      >
        <Loaded query={disputes} what="Loading disputes">
          {({ items: list }) =>
            list.length === 0 ? (
              <Empty title="No disputes">Nothing disputed{status ? " with this status" : ""}. Charges are only made for successful work, so we hope it stays that way.</Empty>
            ) : (
              <ul className="list">
                {list.map((d) => (
                  <DisputeItem
                    key={d.id}
                    dispute={d}
                    tones={tone}
                    summary={
                      <>
                        <Credits value={d.credits} /> · {d.productType} <code>{d.productId}</code>
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
    </Page>
  );
}
