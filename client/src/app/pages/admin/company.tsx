import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { z } from "zod";
import { adjustInput, grantInput } from "../../../../../src/admin/schema";
import { api, type Outputs } from "../../api";
import { Credits, Stat, Usd } from "../../components/amounts";
import { columnsFor, DataTable, NoRows } from "../../components/data-table";
import { FormError, FormField, showServerError, useSchemaForm } from "../../components/forms";
import { Card, Loaded, Note, Page } from "../../components/page";
import { usePaged } from "../../components/paging";
import { formatDateTime } from "../../format";
import { getRouteApi, Link } from "@tanstack/react-router";
import { Standing } from "./companies";

type Entry = Outputs["admin"]["entries"]["items"][number];
const col = columnsFor<Entry>();

const kindText = { grant: "Grant", allocation: "Allocation (expires)", adjustment: "Adjustment" } as Record<string, string>;

export const entryColumns = [
  col.accessor("createdAt", { header: "When", cell: (c) => formatDateTime(c.getValue()) }),
  col.accessor("companyName", {
    header: "Company",
    cell: (c) => <Link to="/app/admin/companies/$id" params={{ id: c.row.original.companyId }}>{c.getValue() ?? c.row.original.companyId}</Link>,
  }),
  col.accessor("kind", { header: "Kind", cell: (c) => kindText[c.getValue()] ?? c.getValue() }),
  col.accessor("credits", { header: "Credits", meta: { align: "right" }, cell: (c) => <Credits value={c.getValue()} sign /> }),
  col.accessor("balanceAfter", { header: "Balance after", meta: { align: "right" }, cell: (c) => <Credits value={c.getValue()} /> }),
  col.accessor("reason", { header: "Reason", enableSorting: false, cell: (c) => c.getValue() ?? "—" }),
];

/** One company as a platform admin reviews it: credits, a seller's earnings and next payout, grants and adjustments. */
const route = getRouteApi("/app/admin/companies/$id");

export function AdminCompany() {
  const { id } = route.useParams();
  const company = useQuery({ queryKey: ["admin.companies", "get", id], queryFn: () => api.admin.companies.get.query({ id }) });
  const entries = usePaged(["admin.entries", id], (cursor) => api.admin.entries.query({ companyId: id, cursor }));
  return (
    <Loaded query={company} what="Loading the company">
      {(c) => (
        <Page title={c.name} lead={<><code>{c.id}</code> <Standing company={c} /></>} actions={<Link className="button secondary" to="/app/admin/companies">All companies</Link>}>
          <Card title="Credits">
            <div className="stats">
              <Stat label="Available">
                <span data-testid="company-available"><Credits value={c.credits.availableCredits} /></span>
              </Stat>
              <Stat label="Held for calls in flight">
                <Credits value={c.credits.heldCredits} />
              </Stat>
              <Stat label="Balance in USD">
                <Usd value={c.credits.balanceUsd} />
              </Stat>
            </div>
          </Card>
          {c.earnings ? (
            <Card title="Earnings">
              <div className="stats">
                <Stat label="Next payout" hint="Earned and not paid out yet, less refunds">
                  <span data-testid="company-next-payout"><Usd value={c.earnings.exact.pendingPayoutUsd} /></span>
                </Stat>
                <Stat label="Earned in all">
                  <Usd value={c.earnings.exact.totalEarnedUsd} />
                </Stat>
              </div>
            </Card>
          ) : null}
          <div className="grid two">
            <CreditsForm companyId={c.id} kind="grant" />
            <CreditsForm companyId={c.id} kind="adjust" />
          </div>
          <Card title="Grants and adjustments">
            <DataTable label="Grants and adjustments" columns={entryColumns} list={entries} rowKey={(e) => e.id} empty={<NoRows title="None yet">Credits granted or taken away by hand show here with their reasons.</NoRows>} />
          </Card>
        </Page>
      )}
    </Loaded>
  );
}

/** Grant credits (optionally expiring) or take them away, always with a reason. */
// The procedures' own schemas (src/admin/schema.ts), for the fields a person fills in; the expiry is a day here and a time there.
const expires = z.string(); // only a grant shows it
const grantForm = grantInput.pick({ credits: true, reason: true }).extend({ expires });
const adjustForm = adjustInput.pick({ credits: true, reason: true }).extend({ expires });
type Values = z.input<typeof grantForm>;

function CreditsForm({ companyId, kind }: { companyId: string; kind: "grant" | "adjust" }) {
  const qc = useQueryClient();
  const grant = kind === "grant";
  const form = useSchemaForm(grant ? grantForm : adjustForm, { credits: "", reason: "", expires: "" });
  const save = useMutation({
    mutationFn: ({ credits, reason, expires }: Values) =>
      grant
        ? api.admin.grant.mutate({ companyId, credits, reason, ...(expires ? { expiresAt: new Date(`${expires}T23:59:59`).getTime() } : {}) })
        : api.admin.adjust.mutate({ companyId, credits, reason }),
    onSuccess: () => {
      form.reset();
      return Promise.all([qc.invalidateQueries({ queryKey: ["admin.companies"] }), qc.invalidateQueries({ queryKey: ["admin.entries"] })]);
    },
    onError: (error) => showServerError(form, error),
  });
  return (
    <Card title={grant ? "Grant credits" : "Take credits away"}>
      <form className="stack" onSubmit={form.handleSubmit((values) => save.mutate(values as Values))} aria-label={grant ? "Grant credits" : "Take credits away"} noValidate>
        <FormField form={form} name="credits" label="Credits">
          {(control) => <input inputMode="decimal" required {...control} />}
        </FormField>
        <FormField form={form} name="reason" label="Reason" hint="Shown in the company's transactions.">
          {(control) => <input required maxLength={500} {...control} />}
        </FormField>
        {grant ? (
          <FormField form={form} name="expires" label="Expires (optional)" hint="An expiring grant is an allocation: what is unused lapses.">
            {(control) => <input type="date" {...control} />}
          </FormField>
        ) : null}
        <FormError form={form} />
        {save.isSuccess ? <Note kind="success">{grant ? "Granted." : "Taken away."} The balance above is updated.</Note> : null}
        <button type="submit" className={`button ${grant ? "" : "danger"}`} disabled={save.isPending}>
          {grant ? "Grant" : "Take away"}
        </button>
      </form>
    </Card>
  );
}
