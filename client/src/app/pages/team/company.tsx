import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { updateCompanyInput } from "../../../../../src/companies/schema";
import { api } from "../../api";
import { FormError, FormField, showServerError, useSchemaForm } from "../../components/forms";
import { Card, Loaded, Note, Page } from "../../components/page";
import { SellerBadges } from "../../components/seller-badges";
import { Stars } from "../buyer/ratings";
import { sessionKey, useSignedIn } from "../../session";

export function CompanyPage() {
  const session = useSignedIn();
  const qc = useQueryClient();
  const c = session.company;
  const form = useSchemaForm(updateCompanyInput, { name: c.name, billingEmail: c.billingEmail ?? "", isBuyer: c.isBuyer, isSeller: c.isSeller });
  const profile = useQuery({ queryKey: ["ratings.profile", c.id], queryFn: () => api.ratings.profile.query({ companyId: c.id }) });
  const save = useMutation({
    mutationFn: (values: typeof updateCompanyInput._zod.input) => api.companies.update.mutate(values),
    onSuccess: () => qc.invalidateQueries({ queryKey: sessionKey }),
    onError: (error) => showServerError(form, error),
  });
  return (
    <Page title="Company profile" lead={<>Company id <code>{c.id}</code></>}>
      <Card>
        <form className="stack" noValidate onSubmit={form.handleSubmit((values) => save.mutate(values))}>
          <FormField form={form} name="name" label="Name">
            {(control) => <input {...control} />}
          </FormField>
          <FormField form={form} name="billingEmail" label="Billing e-mail" hint="Payout reports and receipts go here.">
            {(control) => <input type="email" {...control} />}
          </FormField>
          <fieldset className="choices">
            <legend>Your company</legend>
            <label>
              <input type="checkbox" {...form.register("isBuyer")} /> buys data products
            </label>
            <label>
              <input type="checkbox" {...form.register("isSeller")} /> sells data products
            </label>
          </fieldset>
          <FormError form={form} />
          {save.isSuccess ? <Note kind="success">Saved.</Note> : null}
          <div className="actions">
            <button className="button" type="submit" disabled={save.isPending}>
              Save
            </button>
          </div>
        </form>
      </Card>
      <Card title="Public profile">
        <Loaded query={profile}>
          {(p) => (
            <div className="stack">
              <p className="muted small">What other companies see next to your listings.</p>
              <div className="chips">
                <SellerBadges
                  badges={p.badges}
                  empty={<span className="muted">No badges yet. List a product to become a Contributor; badges follow from sales, purchases and ratings.</span>}
                />
              </div>
              <p>
                {p.listings} listing{p.listings === 1 ? "" : "s"} ·{" "}
                {p.rating.count ? (
                  <>
                    <Stars value={p.rating.average ?? 0} /> {p.rating.average?.toFixed(2)} from {p.rating.count} rating{p.rating.count === 1 ? "" : "s"}
                  </>
                ) : (
                  "no ratings yet"
                )}
              </p>
            </div>
          )}
        </Loaded>
      </Card>
    </Page>
  );
}
