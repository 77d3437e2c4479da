import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { setCapsInput } from "../../../../src/companies/schema";
import { api, type Outputs } from "../api";
import { formatCredits } from "../format";
import { Dialog } from "./dialog";
import { FormError, FormField, showServerError, useSchemaForm } from "./forms";

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

// The procedure's own schema (src/companies/schema.ts) for the boxes; the key is the button's.
const capsForm = setCapsInput.omit({ keyId: true });
type CapsValues = typeof capsForm._zod.input;
const capFields = [
  ["perDayCredits", "Per day (UTC)"],
  ["perMonthCredits", "Per month"],
  ["totalCredits", "In total"],
] as const;

/** An empty box is no cap (null), before the schema sees it. */
const blankIsNone = (value: unknown) => (typeof value === "string" && value.trim() === "" ? null : value);

/**
 * A company admin caps what one key may spend. An empty box is no cap.
 * `invalidate` is the list the key is shown in.
 */
export function CapsButton({ keyId, name, usage, invalidate }: { keyId: string; name: string; usage: KeyUsage; invalidate: readonly unknown[] }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button small secondary" onClick={() => setOpen(true)}>
        Spending caps
      </button>
      {open ? (
        <Dialog title={`Spending caps for ${name}`} onClose={() => setOpen(false)}>
          <CapsForm keyId={keyId} usage={usage} invalidate={invalidate} close={() => setOpen(false)} />
        </Dialog>
      ) : null}
    </>
  );
}

/** Mounted with the dialog, so each opening starts from the key's caps as they are. */
function CapsForm({ keyId, usage, invalidate, close }: { keyId: string; usage: KeyUsage; invalidate: readonly unknown[]; close: () => void }) {
  const qc = useQueryClient();
  // No cap is null, shown as an empty box (an untouched box keeps its default, so it must be the value itself).
  const form = useSchemaForm(capsForm, {
    perDayCredits: usage.caps?.perDayCredits ?? null,
    perMonthCredits: usage.caps?.perMonthCredits ?? null,
    totalCredits: usage.caps?.totalCredits ?? null,
  });
  const save = useMutation({
    mutationFn: (values: CapsValues) => api.keys.setCaps.mutate({ keyId, perDayCredits: values.perDayCredits ?? null, perMonthCredits: values.perMonthCredits ?? null, totalCredits: values.totalCredits ?? null }),
    onSuccess: () => {
      close();
      return qc.invalidateQueries({ queryKey: invalidate });
    },
    onError: (error) => showServerError(form, error),
  });
  return (
    <form className="stack" noValidate onSubmit={form.handleSubmit((values) => save.mutate(values))}>
      <p className="muted small">Credits this key may spend; a call that would go over is refused (403 BUDGET_EXCEEDED) and not billed. Leave a box empty for no cap.</p>
      {capFields.map(([field, label]) => (
        <FormField key={field} form={form} name={field} label={label} options={{ setValueAs: blankIsNone }}>
          {(control) => <input inputMode="decimal" {...control} />}
        </FormField>
      ))}
      <FormError form={form} />
      <div className="actions">
        <button type="button" className="button secondary" onClick={close}>
          Cancel
        </button>
        <button type="submit" className="button" disabled={save.isPending}>
          Save caps
        </button>
      </div>
    </form>
  );
}
