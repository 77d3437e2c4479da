import { useEffect, useId, useRef, useState, type ReactNode } from "react";

/**
 * A button that asks before it acts, in a modal <dialog> instead of
 * window.confirm: the page's own words and styles, Escape cancels, focus
 * stays inside while it is open and returns to the button after.
 */
export function ConfirmButton({
  label,
  title,
  children,
  confirm,
  onConfirm,
  className = "button small danger",
  disabled,
}: {
  label: ReactNode;
  title: string;
  children: ReactNode;
  /** The confirming button's words ("Revoke", "Delete"). */
  confirm: string;
  onConfirm: () => void;
  className?: string;
  disabled?: boolean;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className={className} disabled={disabled} onClick={() => setOpen(true)}>
        {label}
      </button>
      {open ? (
        <Dialog title={title} onClose={() => setOpen(false)}>
          <div className="dialog-body">{children}</div>
          <div className="actions">
            <button type="button" className="button secondary" onClick={() => setOpen(false)}>
              Cancel
            </button>
            <button
              type="button"
              className="button danger"
              onClick={() => {
                setOpen(false);
                onConfirm();
              }}
            >
              {confirm}
            </button>
          </div>
        </Dialog>
      ) : null}
    </>
  );
}

/** A modal dialog with a heading; closes on Escape or `onClose`. */
export function Dialog({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    // Only a close the person asked for (Escape, a button) is reported. The
    // close event is queued: one left from an unmount (React's strict mode
    // mounts twice in development) arrives when the dialog is open again.
    const closed = () => {
      if (!dialog.open) close.current();
    };
    dialog.addEventListener("close", closed);
    return () => {
      dialog.removeEventListener("close", closed);
      if (dialog.open) dialog.close();
    };
  }, []);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </dialog>
  );
}
