import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { openDisputeInput } from "../../../../../src/disputes/schema";
import { api } from "../../api";
import { Pager, usePaged } from "../../components/paging";
import { Credits } from "../../components/amounts";
import { Field, FormError, FormField, showServerError, useSchemaForm } from "../../components/forms";
import { DisputeItem } from "../../components/dispute";
import { Card, Empty, Loaded, Note, Page } from "../../components/page";
import { getRouteApi, Link } from "@tanstack/react-router";

const tone = { open: "warn", refunding: "info", refunded: "good", rejected: "bad" } as const;

const route = getRouteApi("/app/disputes");

type By = "transaction" | "request";
type DisputeValues = typeof openDisputeInput._zod.input;

/** The form's values for a charge named one way or the other. */
function charge(by: By, id: string, reason: string): DisputeValues {
  return by === "request" ? { requestId: id, reason } : { transactionId: id, reason };
}

export function Disputes() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const qc = useQueryClient();
  const status = search.status ?? "";
  const setStatus = (next: typeof status) => void navigate({ search: (prev) => ({ ...prev, status: next || undefined }), replace: true });
  const { query: disputes, pager } = usePaged(["disputes.mine", status], (cursor) => api.disputes.mine.query({ limit: 50, cursor, ...(status ? { status } : {}) }));
  // The procedure's own schema (src/disputes/schema.ts): the charge by one id or the other, the one not chosen left out of the values.
  const [by, setBy] = useState<By>(search.request ? "request" : "transaction");
  const form = useSchemaForm(openDisputeInput, charge(by, search.request ?? search.transaction ?? "", ""));
  const choose = (next: By) => {
    setBy(next);
    const values = form.getValues();
    form.reset(charge(next, values.transactionId ?? values.requestId ?? "", values.reason), { keepDefaultValues: true });
  };
  const open = useMutation({
    mutationFn: (values: DisputeValues) => api.disputes.open.mutate(values),
    onSuccess: () => {
      form.reset(charge(by, "", ""), { keepDefaultValues: true });
      void qc.invalidateQueries({ queryKey: ["disputes.mine"] });
    },
    onError: (error) => showServerError(form, error),
  });
  return (
    <Page title="Disputes" lead="Think a charge was wrong? Open a dispute on it: a platform admin checks it against the request log and refunds the credits or explains why not.">
      <Card title="Open a dispute">
        <form className="stack" noValidate onSubmit={form.handleSubmit((values) => open.mutate(values))}>
          <div className="grid two tight">
            <Field label="Which charge">
              <select value={by} onChange={(e) => choose(e.target.value as By)}>
                <option value="transaction">Transaction id (from Transactions)</option>
                <option value="request">Request id (from the API response)</option>
              </select>
            </Field>
            {by === "request" ? (
              <FormField key="request" form={form} name="requestId" label="Request id">
                {(control) => <input placeholder="req_…" {...control} />}
              </FormField>
            ) : (
              <FormField key="transaction" form={form} name="transactionId" label="Transaction id">
                {(control) => <input {...control} />}
              </FormField>
            )}
          </div>
          <FormField form={form} name="reason" label="What went wrong">
            {(control) => <textarea rows={3} {...control} />}
          </FormField>
          <FormError form={form} />
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
