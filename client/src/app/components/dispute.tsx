import type { ReactNode } from "react";
import type { Outputs } from "../api";
import { formatDateTime } from "../format";
import { Badge } from "./page";

type Dispute = Outputs["disputes"]["mine"]["items"][number];
type Tone = "neutral" | "good" | "warn" | "bad" | "info";

/**
 * One dispute in a list: its status, what it is about (`summary`), when and
 * on which request, the buyer's reason and the resolution. The buyer and the
 * seller read the same facts; `tones` colours the status for each side.
 */
export function DisputeItem({ dispute: d, tones, summary }: { dispute: Dispute; tones: Record<Dispute["status"], Tone>; summary: ReactNode }) {
  return (
    <li className="list-item">
      <div>
        <Badge tone={tones[d.status]}>{d.status}</Badge> {summary}
        <div className="muted small">
          Opened {formatDateTime(d.createdAt)} · request <code>{d.requestId}</code>
          {d.resolvedAt ? ` · resolved ${formatDateTime(d.resolvedAt)}` : ""}
        </div>
      </div>
      <p className="small">“{d.reason}”</p>
      {d.resolutionNote ? <p className="small muted">Resolution: {d.resolutionNote}</p> : null}
    </li>
  );
}
