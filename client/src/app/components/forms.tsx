import { useState, type ReactNode } from "react";

export function Field({ label, hint, children }: { label: string; hint?: ReactNode; children: ReactNode }) {
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      {children}
      {hint ? <span className="field-hint">{hint}</span> : null}
    </label>
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
