import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { autoRefillInput, lowBalanceAlertInput } from "../../../../../src/billing/schema";
import { api } from "../../api";
import { CodeLine, FormError, FormField, showServerError, Toggle, useSchemaForm } from "../../components/forms";
import { Badge, Card, Loaded, Note, Page } from "../../components/page";
import { formatCredits, formatDateTime } from "../../format";

export function BuyerSettings() {
  return (
    <Page title="Alerts and auto-refill" lead="Hear about a low balance before work stops, or let Tessera top it up with your saved card.">
      <div className="grid two">
        <LowBalance />
        <AutoRefill />
      </div>
    </Page>
  );
}

/** Validated by the procedure's own schema (src/billing/schema.ts); the server's refusal of a URL lands on its field. */
function LowBalance() {
  const qc = useQueryClient();
  const alert = useQuery({ queryKey: ["billing.lowBalanceAlert.get"], queryFn: () => api.billing.lowBalanceAlert.get.query() });
  const history = useQuery({ queryKey: ["billing.lowBalanceAlert.history"], queryFn: () => api.billing.lowBalanceAlert.history.query() });
  const form = useSchemaForm(lowBalanceAlertInput, { thresholdCredits: "", webhookUrl: "" });
  useEffect(() => {
    if (alert.data) form.reset({ thresholdCredits: String(alert.data.thresholdCredits), webhookUrl: alert.data.webhookUrl ?? "" });
  }, [alert.data, form]);
  const save = useMutation({
    mutationFn: (values: typeof lowBalanceAlertInput._zod.input) =>
      api.billing.lowBalanceAlert.set.mutate({ thresholdCredits: values.thresholdCredits, webhookUrl: values.webhookUrl?.trim() || null }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ["billing.lowBalanceAlert.get"] });
      void qc.invalidateQueries({ queryKey: ["credits.balance"] });
    },
    onError: (error) => showServerError(form, error),
  });
  return (
    <Card title="Low-balance alert">
      <Loaded query={alert}>
        {(a) => (
          <form className="stack" noValidate onSubmit={form.handleSubmit((values) => save.mutate(values))}>
            <p>
              {a.lowBalanceWarning ? <Badge tone="warn">Below the threshold now</Badge> : <Badge tone="good">Above the threshold</Badge>}
            </p>
            <FormField form={form} name="thresholdCredits" label="Warn me below (credits)">
              {(control) => <input inputMode="decimal" {...control} />}
            </FormField>
            <FormField form={form} name="webhookUrl" label="Webhook URL (optional)" hint="Tessera POSTs a signed alert here once each time the balance crosses the threshold.">
              {(control) => <input type="url" placeholder="https://example.com/hooks/tessera" {...control} />}
            </FormField>
            <FormError form={form} />
            {save.data?.signingSecret ? (
              <Note kind="success">
                Saved. The webhook's signing secret, shown only now:
                <CodeLine text={save.data.signingSecret} />
              </Note>
            ) : save.isSuccess ? (
              <Note kind="success">Saved.</Note>
            ) : null}
            <div className="actions">
              <button className="button" type="submit" disabled={save.isPending}>
                Save alert
              </button>
            </div>
          </form>
        )}
      </Loaded>
      {history.data && history.data.items.length ? (
        <details>
          <summary>Latest alerts sent ({history.data.items.length}{history.data.nextCursor ? "+" : ""})</summary>
          <ul className="plain small">
            {history.data.items.map((h) => (
              <li key={h.id}>
                {formatDateTime(h.createdAt)}: {formatCredits(h.availableCredits)} available (threshold {formatCredits(h.thresholdCredits)}) · {h.status}
                {h.error ? ` (${h.error})` : ""}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </Card>
  );
}

type RefillValues = typeof autoRefillInput._zod.input;

/** Validated by the procedure's own schema; an amount or a bundle, the one not chosen left out of the values. */
function AutoRefill() {
  const qc = useQueryClient();
  const refill = useQuery({ queryKey: ["billing.autoRefill.get"], queryFn: () => api.billing.autoRefill.get.query() });
  const catalogue = useQuery({ queryKey: ["billing.catalogue"], queryFn: () => api.billing.catalogue.query() });
  const [mode, setMode] = useState<"credits" | "bundle">("credits");
  const form = useSchemaForm(autoRefillInput, { enabled: false, thresholdCredits: "20", refillCredits: 50 });
  useEffect(() => {
    const r = refill.data;
    if (!r) return;
    setMode(r.refillBundle ? "bundle" : "credits");
    form.reset({
      enabled: r.enabled,
      thresholdCredits: String(r.thresholdCredits ?? 20),
      ...(r.refillBundle ? { refillBundle: r.refillBundle } : { refillCredits: r.refillCredits ?? 50 }),
    });
  }, [refill.data, form]);
  const choose = (next: "credits" | "bundle") => {
    setMode(next);
    const values = form.getValues();
    form.reset(
      next === "bundle"
        ? { enabled: values.enabled, thresholdCredits: values.thresholdCredits, refillBundle: catalogue.data?.bundles[0]?.id }
        : { enabled: values.enabled, thresholdCredits: values.thresholdCredits, refillCredits: 50 },
      { keepDefaultValues: true },
    );
  };
  const save = useMutation({
    mutationFn: (values: RefillValues) => api.billing.autoRefill.set.mutate(values),
    onSuccess: (next) => qc.setQueryData(["billing.autoRefill.get"], next),
    onError: (error) => showServerError(form, error),
  });
  const enabled = form.watch("enabled");
  return (
    <Card title="Auto-refill">
      <Loaded query={refill}>
        {(r) => (
          <form className="stack" noValidate onSubmit={form.handleSubmit((values) => save.mutate(values))}>
            <Toggle checked={enabled} onChange={(next) => form.setValue("enabled", next, { shouldDirty: true })} label="Refill automatically" />
            <p className="muted small">Uses the card saved at your last checkout. One refill each time the balance drops below the threshold.</p>
            <FormField form={form} name="thresholdCredits" label="When available credits drop below">
              {(control) => <input inputMode="decimal" {...control} />}
            </FormField>
            <div className="segmented small" role="radiogroup" aria-label="Refill with">
              {(["credits", "bundle"] as const).map((m) => (
                <label key={m} className={mode === m ? "selected" : ""}>
                  <input type="radio" name="refill-mode" checked={mode === m} onChange={() => choose(m)} />
                  {m === "credits" ? "An amount" : "A bundle"}
                </label>
              ))}
            </div>
            {mode === "credits" ? (
              <FormField form={form} name="refillCredits" label="Buy this many credits" options={{ valueAsNumber: true }}>
                {(control) => <input type="number" min={10} step={1} {...control} />}
              </FormField>
            ) : (
              <FormField form={form} name="refillBundle" label="Buy this bundle">
                {(control) => (
                  <select {...control}>
                    {(catalogue.data?.bundles ?? []).map((b) => (
                      <option key={b.id} value={b.id}>
                        {b.name}: {formatCredits(b.totalCredits)}
                      </option>
                    ))}
                  </select>
                )}
              </FormField>
            )}
            {r.disabledReason ? <Note kind="warning">Auto-refill turned itself off: {r.disabledReason}</Note> : null}
            {r.lastFailureReason ? (
              <Note kind="warning">
                Last attempt failed{r.lastFailureAt ? ` (${formatDateTime(r.lastFailureAt)})` : ""}: {r.lastFailureReason}
              </Note>
            ) : null}
            <FormError form={form} />
            {save.isSuccess ? <Note kind="success">Saved.</Note> : null}
            <div className="actions">
              <button className="button" type="submit" disabled={save.isPending}>
                Save auto-refill
              </button>
            </div>
            {r.recentRefills.length ? (
              <details>
                <summary>Recent refills</summary>
                <ul className="plain small">
                  {r.recentRefills.map((x) => (
                    <li key={x.orderId}>
                      {formatDateTime(x.createdAt)}: {formatCredits(x.credits)} · {x.status}
                      {x.failureReason ? ` (${x.failureReason})` : ""}
                    </li>
                  ))}
                </ul>
              </details>
            ) : null}
          </form>
        )}
      </Loaded>
    </Card>
  );
}
