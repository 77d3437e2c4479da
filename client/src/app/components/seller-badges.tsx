import type { ReactNode } from "react";
import type { Outputs } from "../api";
import { Badge } from "./page";

type SellerBadge = Outputs["ratings"]["forProduct"]["seller"]["badges"][number];

/** A seller's badges as chips, each explained on hover; `empty` shows when there are none. */
export function SellerBadges({ badges, empty }: { badges: SellerBadge[]; empty: ReactNode }) {
  if (!badges.length) return <>{empty}</>;
  return (
    <>
      {badges.map((b) => (
        <span key={b.name + (b.category ?? "")} title={b.detail}>
          <Badge tone="info">{b.name}{b.category ? ` · ${b.category}` : ""}</Badge>
        </span>
      ))}
    </>
  );
}
