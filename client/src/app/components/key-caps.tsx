import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api, type Outputs } from "../api";
import { formatCredits } from "../format";
import { Dialog } from "./dialog";
import { Field } from "./forms";
import { ErrorNote } from "./page";

export type KeyUsage = Outputs["keys"]["list"]["items"][number]["usage"];

/**
 * What a key spent today, this month and in all, against its caps: the
 * numbers the wallet checks before each billed call.
 */
export function KeyUsageLine({ usage }: { usage: KeyUsage }) {
  const caps = usage.caps;
  const part = (label: string, spent: number, cap: number | null | undefined) => (
    <span>
      {label} {formatCredits(spent)}
      {cap !== null && cap !== undefined ? ` of ${formatCredits(cap, { unit: false })}` : ""}
    </span>
  );
  return (
    <div className="key-usage small" data-testid="key-usage">
      {part("Today", usage.spentCredits.day, caps?.perDayCredits)}
      {part("This month", usage.spentCredits.month, caps?.perMonthCredits)}
      {part("In all", usage.spentCredits.total, caps?.totalCredits)}
      <span className="muted">{usage.billedCalls.total} billed calls</span>
      {!caps || (caps.perDayCredits === null && caps.perMonthCredits === null && caps.totalCredits === null) ? <span className="muted">No caps</span> : null}
    </div>
  );
}

/**
 * A company admin caps what one key may spend. An empty box is no cap.
 * `invalidate` is the list the key is shown in.
 */
export function CapsButton({ keyId, name, usage, invalidate }: { keyId: string; name: string; usage: KeyUsage; invalidate: readonly unknown[] }) {
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const text = (n: number | null | undefined) => (n === null || n === undefined ? "" : String(n));
  const [caps, setCaps] = useState({ day: "", month: "", total: "" });
  const save = useMutation({
    mutationFn: () =>
      api.keys.setCaps.mutate({ keyId, perDayCredits: caps.day.trim() || null, perMonthCredits: caps.month.trim() || null, totalCredits: caps.total.trim() || null }),
    onSuccess: () => {
      setOpen(false);
      return qc.invalidateQueries({ queryKey: invalidate });
    },
  });
  const show = () => {
    setCaps({ day: text(usage.caps?.perDayCredits), month: text(usage.caps?.perMonthCredits), total: text(usage.caps?.totalCredits) });
    save.reset();
    setOpen(true);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <>
      <button type="button" className="button small secondary" onClick={show}>
        Spending caps
      </button>
      {open ? (
        <Dialog title={`Spending caps for ${name}`} onClose={() => setOpen(false)}>
          <form className="stack" onSubmit={submit}>
            <p className="muted small">Credits this key may spend; a call that would go over is refused (403 BUDGET_EXCEEDED) and not billed. Leave a box empty for no cap.</p>
            <Field label="Per day (UTC)">
              <input inputMode="decimal" value={caps.day} onChange={(e) => setCaps({ ...caps, day: e.target.value })} />
            </Field>
            <Field label="Per month">
              <input inputMode="decimal" value={caps.month} onChange={(e) => setCaps({ ...caps, month: e.target.value })} />
            </Field>
            <Field label="In total">
              <input inputMode="decimal" value={caps.total} onChange={(e) => setCaps({ ...caps, total: e.target.value })} />
            </Field>
            <ErrorNote error={save.error} />
            <div className="actions">
              <button type="button" className="button secondary" onClick={() => setOpen(false)}>
                Cancel
              </button>
              <button type="submit" className="button" disabled={save.isPending}>
                Save caps
              </button>
            </div>
          </form>
        </Dialog>
      ) : null}
    </>
  );
}
