import { zodResolver } from "@hookform/resolvers/zod";
import { TRPCClientError } from "@trpc/client";
import { useId, useState, type ReactNode } from "react";
import { useForm, type DefaultValues, type FieldValues, type Path, type RegisterOptions, type UseFormRegisterReturn, type UseFormReturn } from "react-hook-form";
import type * as z from "zod/v4/core";
import { errorMessage } from "../api";

export function Field({ label, hint, children }: { label: string; hint?: ReactNode; children: ReactNode }) {
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      {children}
      {hint ? <span className="field-hint">{hint}</span> : null}
    </label>
  );
}

/**
 * A form validated by the procedure's own input schema (a schema.ts beside its router in src/),
 * the one the server parses with. Values stay as typed (raw): the server
 * parses them again, and a parsed amount is in micro-units.
 */
export function useSchemaForm<S extends z.$ZodType<unknown, FieldValues>>(schema: S, defaultValues: DefaultValues<z.input<S>>) {
  return useForm<z.input<S>>({ resolver: zodResolver(schema, undefined, { raw: true }), defaultValues, mode: "onTouched" });
}

type Control = UseFormRegisterReturn & { "aria-invalid": boolean; "aria-describedby"?: string };

/**
 * A field of a schema form: its label, the control (given the props to spread), its hint and its error, client's or server's.
 * `options` go to register (`{ valueAsNumber: true }` for a number the schema wants as one).
 */
export function FormField<T extends FieldValues>({
  form,
  name,
  label,
  hint,
  options,
  children,
}: {
  form: UseFormReturn<T>;
  name: Path<T>;
  label: string;
  hint?: ReactNode;
  options?: RegisterOptions<T, Path<T>>;
  children: (control: Control) => ReactNode;
}) {
  const id = useId();
  const error = form.formState.errors[name]?.message;
  const control: Control = { ...form.register(name, options), "aria-invalid": Boolean(error), ...(error ? { "aria-describedby": `${id}-error` } : {}) };
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      {children(control)}
      {hint ? <span className="field-hint">{hint}</span> : null}
      {typeof error === "string" ? (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      ) : null}
    </label>
  );
}

/**
 * Puts a failed call's refusal on the fields it names (`details.issues`,
 * from a schema or a TesseraError made with `fieldError`), and anything
 * else, or an issue about a field this form hasn't, on the form as a whole.
 */
export function showServerError<T extends FieldValues>(form: UseFormReturn<T>, error: unknown): void {
  const issues = error instanceof TRPCClientError ? ((error.data as { details?: { issues?: { path: string; message: string }[] } } | undefined)?.details?.issues ?? []) : [];
  const fields = Object.keys(form.getValues());
  let placed = false;
  for (const issue of issues) {
    // An entry of a list (tags.2) is shown on the list's box.
    const [field = ""] = issue.path.split(".");
    if (!fields.includes(field)) continue;
    form.setError(field as Path<T>, { type: "server", message: issue.message }, { shouldFocus: !placed });
    placed = true;
  }
  if (!placed) form.setError("root.server", { type: "server", message: errorMessage(error) });
}

/** The form's own error (one no field owns), where the ErrorNote of a call stood. */
export function FormError<T extends FieldValues>({ form }: { form: UseFormReturn<T> }) {
  const message = form.formState.errors.root?.server?.message;
  if (!message) return null;
  return (
    <div className="note error" role="alert">
      {message}
    </div>
  );
}

export function Toggle({ checked, onChange, label, disabled }: { checked: boolean; onChange: (next: boolean) => void; label: string; disabled?: boolean }) {
  return (
    <label className="toggle">
      <input type="checkbox" role="switch" checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} />
      <span className="toggle-track" aria-hidden="true" />
      <span>{label}</span>
    </label>
  );
}

/** Copies text, and says so. */
function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [done, setDone] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Without clipboard access (plain http), select-and-copy still works on the shown text.
    }
    setDone(true);
    setTimeout(() => setDone(false), 1500);
  };
  return (
    <button type="button" className="button small secondary" onClick={copy}>
      {done ? "Copied" : label}
    </button>
  );
}

/** A secret or command shown in full, selectable, with a copy button. */
export function CodeLine({ text, label }: { text: string; label?: string }) {
  return (
    <div className="codeline">
      {/* It scrolls sideways on a phone: focusable, so a keyboard can scroll it too. */}
      <code tabIndex={0}>{text}</code>
      <CopyButton text={text} label={label} />
    </div>
  );
}

/** Comma- or line-separated words into a clean list. */
export function splitList(text: string, by: RegExp = /[,\n]/): string[] {
  return text
    .split(by)
    .map((s) => s.trim())
    .filter(Boolean);
}
