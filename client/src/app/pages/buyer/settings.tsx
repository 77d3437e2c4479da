import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { api } from "../../api";
import { CodeLine, Field, Toggle } from "../../components/forms";
import { Badge, Card, ErrorNote, Loaded, Note, Page } from "../../components/page";
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

function LowBalance() {
  const qc = useQueryClient();
  const alert = useQuery({ queryKey: ["billing.lowBalanceAlert.get"], queryFn: () => api.billing.lowBalanceAlert.get.query() });
  const history = useQuery({ queryKey: ["billing.lowBalanceAlert.history"], queryFn: () => api.billing.lowBalanceAlert.history.query() });
  const [threshold, setThreshold] = useState("");
  const [webhookUrl, setWebhookUrl] = useState("");
  useEffect(() => {
    if (alert.data) {
      setThreshold(String(alert.data.thresholdCredits));
      setWebhookUrl(alert.data.webhookUrl ?? "");
    }
  }, [alert.data]);
  const save = useMutation({
    mutationFn: () => api.billing.lowBalanceAlert.set.mutate({ thresholdCredits: threshold, webhookUrl: webhookUrl.trim() || null }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ["billing.lowBalanceAlert.get"] });
      void qc.invalidateQueries({ queryKey: ["credits.balance"] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Card title="Low-balance alert">
      <Loaded query={alert}>
        {(a) => (
          <form className="stack" onSubmit={submit}>
            <p>
              {a.lowBalanceWarning ? <Badge tone="warn">Below the threshold now</Badge> : <Badge tone="good">Above the threshold</Badge>}
            </p>
            <Field label="Warn me below (credits)">
              <input inputMode="decimal" value={threshold} onChange={(e) => setThreshold(e.target.value)} />
            </Field>
            <Field label="Webhook URL (optional)" hint="Tessera POSTs a signed alert here once each time the balance crosses the threshold.">
              <input type="url" value={webhookUrl} onChange={(e) => setWebhookUrl(e.target.value)} placeholder="https://example.com/hooks/tessera" />
            </Field>
            <ErrorNote error={save.error} />
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

function AutoRefill() {
  const qc = useQueryClient();
  const refill = useQuery({ queryKey: ["billing.autoRefill.get"], queryFn: () => api.billing.autoRefill.get.query() });
  const catalogue = useQuery({ queryKey: ["billing.catalogue"], queryFn: () => api.billing.catalogue.query() });
  const [form, setForm] = useState({ enabled: false, threshold: "20", mode: "credits" as "credits" | "bundle", credits: "50", bundle: "" });
  useEffect(() => {
    const r = refill.data;
    if (r) {
      setForm({
        enabled: r.enabled,
        threshold: String(r.thresholdCredits ?? 20),
        mode: r.refillBundle ? "bundle" : "credits",
        credits: String(r.refillCredits ?? 50),
        bundle: r.refillBundle ?? "",
      });
    }
  }, [refill.data]);
  const save = useMutation({
    mutationFn: () =>
      api.billing.autoRefill.set.mutate({
        enabled: form.enabled,
        thresholdCredits: form.threshold,
        ...(form.mode === "bundle" ? { refillBundle: form.bundle || catalogue.data?.bundles[0]?.id } : { refillCredits: Number(form.credits) }),
      }),
    onSuccess: (next) => qc.setQueryData(["billing.autoRefill.get"], next),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Card title="Auto-refill">
      <Loaded query={refill}>
        {(r) => (
          <form className="stack" onSubmit={submit}>
            <Toggle checked={form.enabled} onChange={(enabled) => setForm({ ...form, enabled })} label="Refill automatically" />
            <p className="muted small">Uses the card saved at your last checkout. One refill each time the balance drops below the threshold.</p>
            <Field label="When available credits drop below">
              <input inputMode="decimal" value={form.threshold} onChange={(e) => setForm({ ...form, threshold: e.target.value })} />
            </Field>
            <div className="segmented small" role="radiogroup" aria-label="Refill with">
              {(["credits", "bundle"] as const).map((m) => (
                <label key={m} className={form.mode === m ? "selected" : ""}>
                  <input type="radio" name="refill-mode" checked={form.mode === m} onChange={() => setForm({ ...form, mode: m })} />
                  {m === "credits" ? "An amount" : "A bundle"}
                </label>
              ))}
            </div>
            {form.mode === "credits" ? (
              <Field label="Buy this many credits">
                <input type="number" min={10} step={1} value={form.credits} onChange={(e) => setForm({ ...form, credits: e.target.value })} />
              </Field>
            ) : (
              <Field label="Buy this bundle">
                <select value={form.bundle} onChange={(e) => setForm({ ...form, bundle: e.target.value })}>
                  {(catalogue.data?.bundles ?? []).map((b) => (
                    <option key={b.id} value={b.id}>
                      {b.name}: {formatCredits(b.totalCredits)}
                    </option>
                  ))}
                </select>
              </Field>
            )}
            {r.disabledReason ? <Note kind="warning">Auto-refill turned itself off: {r.disabledReason}</Note> : null}
            {r.lastFailureReason ? (
              <Note kind="warning">
                Last attempt failed{r.lastFailureAt ? ` (${formatDateTime(r.lastFailureAt)})` : ""}: {r.lastFailureReason}
              </Note>
            ) : null}
            <ErrorNote error={save.error} />
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
