import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { checkoutInput } from "../../../../../src/billing/schema";
import { api, type Outputs } from "../../api";
import { ConfirmButton } from "../../components/dialog";
import { FormError, FormField, showServerError, useSchemaForm } from "../../components/forms";
import { Badge, Card, ErrorNote, Loaded, Note, Page, Progress } from "../../components/page";
import { formatCredits, formatDate, formatUsd } from "../../format";
import { Link } from "@tanstack/react-router";

type Catalogue = Outputs["billing"]["catalogue"];
type Item = Catalogue["bundles"][number];
type Checkout = Parameters<typeof api.billing.checkout.mutate>[0];

/** Checkout happens on Stripe's page; Stripe sends the buyer back to /app/credits with the order. */
function useCheckout() {
  return useMutation({
    mutationFn: (input: Checkout) => api.billing.checkout.mutate(input),
    onSuccess: ({ url }) => window.location.assign(url),
  });
}

export function BuyCredits() {
  const catalogue = useQuery({ queryKey: ["billing.catalogue"], queryFn: () => api.billing.catalogue.query() });
  const checkout = useCheckout();
  return (
    <Page
      title="Buy credits"
      lead="Paid through Stripe Checkout. Credits land as soon as Stripe confirms the payment, and never expire."
      actions={<Link className="button secondary" to="/app/credits">Your balance</Link>}
    >
      {checkout.isPending || checkout.isSuccess ? <Progress label="Opening Stripe Checkout" /> : null}
      <ErrorNote error={checkout.error} title="Checkout did not start:" />
      <Loaded query={catalogue} what="Loading prices">
        {(c) => (
          <>
            <OnDemand catalogue={c} />
            <h2 className="section">Bundles</h2>
            <div className="cards">
              {c.bundles.map((b) => (
                <ItemCard key={b.id} item={b} cta="Buy" busy={checkout.isPending} onBuy={() => checkout.mutate({ kind: "bundle", bundle: b.id })} />
              ))}
            </div>
            <Plans catalogue={c} />
          </>
        )}
      </Loaded>
    </Page>
  );
}

/** Validated by checkout's own schema (src/billing/schema.ts); a refusal the server names lands on the credits field. */
function OnDemand({ catalogue: c }: { catalogue: Catalogue }) {
  const form = useSchemaForm(checkoutInput, { kind: "on_demand", credits: Math.max(c.onDemand.minCredits, 20) });
  const checkout = useCheckout();
  const credits = form.watch("credits");
  const price = typeof credits === "number" && Number.isInteger(credits) && credits >= c.onDemand.minCredits ? formatUsd(credits * c.onDemand.usdPerCredit) : null;
  return (
    <Card title="On demand">
      {checkout.isPending || checkout.isSuccess ? <Progress label="Opening Stripe Checkout" /> : null}
      <form className="inline-form" noValidate onSubmit={form.handleSubmit((values) => checkout.mutate(values, { onError: (error) => showServerError(form, error) }))}>
        <FormField form={form} name="credits" label={`Credits (whole, at least ${c.onDemand.minCredits})`} options={{ valueAsNumber: true }}>
          {(control) => <input type="number" min={c.onDemand.minCredits} max={c.onDemand.maxCredits} step={1} {...control} />}
        </FormField>
        <button className="button" type="submit" disabled={checkout.isPending}>
          {price ? `Buy for ${price}` : "Buy"}
        </button>
      </form>
      <FormError form={form} />
      <p className="muted small">1 credit = {formatUsd(c.creditValueUsd)}. No commitment.</p>
    </Card>
  );
}

function ItemCard({ item, cta, onBuy, busy, current }: { item: Item; cta: string; onBuy: () => void; busy: boolean; current?: boolean }) {
  return (
    <div className={`card offer ${current ? "current" : ""}`} data-testid={`offer-${item.id}`}>
      <div className="row-between">
        <h3>{item.name}</h3>
        {item.discountPercent ? <Badge tone="good">{item.discountPercent}% off</Badge> : null}
      </div>
      <p className="offer-credits">{formatCredits(item.totalCredits)}</p>
      <p className="muted small">
        {formatCredits(item.credits)} + {formatCredits(item.bonusCredits, { unit: false })} bonus
      </p>
      <p className="offer-price">
        {formatUsd(item.priceUsd)}
        {item.interval ? <span className="muted small"> / {item.interval === "year" ? "year" : "month"}</span> : null}
      </p>
      <button type="button" className="button" onClick={onBuy} disabled={busy || current}>
        {current ? "Your plan" : cta}
      </button>
    </div>
  );
}

function Plans({ catalogue: c }: { catalogue: Catalogue }) {
  const qc = useQueryClient();
  const [interval, setInterval] = useState<"month" | "year">("month");
  const subscription = useQuery({ queryKey: ["billing.plan"], queryFn: () => api.billing.plan.query() });
  const checkout = useCheckout();
  const refresh = (next: Outputs["billing"]["plan"]) => qc.setQueryData(["billing.plan"], next);
  const change = useMutation({ mutationFn: (plan: string) => api.billing.changePlan.mutate({ plan }), onSuccess: refresh });
  const cancel = useMutation({ mutationFn: () => api.billing.cancelPlan.mutate(), onSuccess: refresh });
  const resume = useMutation({ mutationFn: () => api.billing.resumePlan.mutate(), onSuccess: refresh });
  const sub = subscription.data;
  const live = sub && sub.status !== "canceled" ? sub : null;
  const plans = c.plans.filter((p) => p.interval === interval);
  return (
    <>
      <div className="row-between section">
        <h2>Plans</h2>
        <div className="segmented small" role="radiogroup" aria-label="Billing period">
          {(["month", "year"] as const).map((i) => (
            <label key={i} className={interval === i ? "selected" : ""}>
              <input type="radio" name="interval" checked={interval === i} onChange={() => setInterval(i)} />
              {i === "month" ? "Monthly" : "Annual"}
            </label>
          ))}
        </div>
      </div>
      {live ? (
        <Card>
          <p>
            Your plan: <strong>{live.plan.name}</strong> <Badge tone={live.status === "active" ? "good" : "warn"}>{live.status}</Badge>
            {live.currentPeriodEnd ? ` · ${live.cancelAtPeriodEnd ? "ends" : "renews"} ${formatDate(live.currentPeriodEnd)}` : ""}
          </p>
          {live.scheduledChange ? (
            <p className="small">
              Changes to {live.scheduledChange.plan.name} {live.scheduledChange.at ? ` on ${formatDate(live.scheduledChange.at)}` : " at the next billing cycle"}.
            </p>
          ) : null}
          <p className="muted small">Upgrades take effect at once; downgrades at the next billing cycle. Canceling stops renewal; every credit you hold stays.</p>
          <div className="actions">
            {live.cancelAtPeriodEnd ? (
              <button type="button" className="button secondary" onClick={() => resume.mutate()} disabled={resume.isPending}>
                Keep my plan
              </button>
            ) : (
              <ConfirmButton label="Cancel plan" className="button danger" title="Stop renewing your plan?" confirm="Cancel plan" onConfirm={() => cancel.mutate()} disabled={cancel.isPending}>
                Your credits stay.
              </ConfirmButton>
            )}
          </div>
          <ErrorNote error={change.error ?? cancel.error ?? resume.error} />
        </Card>
      ) : null}
      <ErrorNote error={checkout.error} />
      {checkout.isPending ? <Progress label="Opening Stripe Checkout" /> : null}
      <div className="cards">
        {plans.map((p) => (
          <ItemCard
            key={p.id}
            item={p}
            current={live?.plan.id === p.id}
            cta={live ? "Switch to this plan" : "Subscribe"}
            busy={checkout.isPending || change.isPending}
            onBuy={() => (live ? change.mutate(p.id) : checkout.mutate({ kind: "plan", plan: p.id }))}
          />
        ))}
      </div>
      {change.isSuccess ? <Note kind="success">Plan change requested.</Note> : null}
    </>
  );
}
