import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api } from "../../api";
import { Field } from "../../components/forms";
import { Card, ErrorNote, Loaded, Note, Page } from "../../components/page";
import { SellerBadges } from "../../components/seller-badges";
import { Stars } from "../buyer/ratings";
import { sessionKey, useSignedIn } from "../../session";

export function CompanyPage() {
  const session = useSignedIn();
  const qc = useQueryClient();
  const c = session.company;
  const [form, setForm] = useState({ name: c.name, billingEmail: c.billingEmail ?? "", isBuyer: c.isBuyer, isSeller: c.isSeller });
  const profile = useQuery({ queryKey: ["ratings.profile", c.id], queryFn: () => api.ratings.profile.query({ companyId: c.id }) });
  const save = useMutation({
    mutationFn: () => api.companies.update.mutate({ name: form.name, billingEmail: form.billingEmail.trim() || null, isBuyer: form.isBuyer, isSeller: form.isSeller }),
    onSuccess: () => qc.invalidateQueries({ queryKey: sessionKey }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Page title="Company profile" lead={<>Company id <code>{c.id}</code></>}>
      <Card>
        <form className="stack" onSubmit={submit}>
          <Field label="Name">
            <input required minLength={2} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          </Field>
          <Field label="Billing e-mail" hint="Payout reports and receipts go here.">
            <input type="email" value={form.billingEmail} onChange={(e) => setForm({ ...form, billingEmail: e.target.value })} />
          </Field>
          <fieldset className="choices">
            <legend>Your company</legend>
            <label>
              <input type="checkbox" checked={form.isBuyer} onChange={(e) => setForm({ ...form, isBuyer: e.target.checked })} /> buys data products
            </label>
            <label>
              <input type="checkbox" checked={form.isSeller} onChange={(e) => setForm({ ...form, isSeller: e.target.checked })} /> sells data products
            </label>
          </fieldset>
          <ErrorNote error={save.error} />
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
