import { invalidParam } from "./errors.ts";
import { listOf } from "./list.ts";
import type { Platform } from "./platform.ts";

type Node = Record<string, unknown>;

/** Fields Stripe only includes when asked (`expand[]=line_items`). */
const includable: Record<string, Record<string, (platform: Platform, object: Node) => unknown>> = {
  "checkout.session": {
    line_items: (platform, session) =>
      listOf(platform.checkoutLineItems.get(session.id as string) ?? [], `/v1/checkout/sessions/${session.id}/line_items`),
  },
  invoice: {
    payments: (platform, invoice) =>
      listOf(platform.invoicePayments.get(invoice.id as string) ?? [], `/v1/invoice_payments?invoice=${invoice.id}`),
  },
};

/**
 * Applies `expand[]` paths to a response: an id at the path is replaced by the
 * object it names (`payment_intent`, `subscription.latest_invoice`,
 * `data.customer` in lists). Returns a copy; stored objects stay as they are.
 */
export function expand(platform: Platform, value: unknown, paths: string[]): unknown {
  if (paths.length === 0) return value;
  const copy = structuredClone(value);
  for (const path of paths) expandPath(platform, copy, path.split("."), path);
  return copy;
}

function expandPath(platform: Platform, node: unknown, segments: string[], path: string): void {
  if (!node || typeof node !== "object") return;
  const object = node as Node;
  const [head, ...rest] = segments;
  if (head === undefined) return;
  if (object.object === "list" && head === "data") {
    for (const item of object.data as unknown[]) expandPath(platform, item, rest, path);
    return;
  }
  let child = object[head];
  if (child === undefined) {
    const include = includable[object.object as string]?.[head];
    if (!include) throw invalidParam("expand", `This property cannot be expanded (${path}).`);
    child = include(platform, object);
  }
  if (typeof child === "string") {
    const found = platform.find(child);
    if (found) child = structuredClone(found);
  }
  object[head] = child;
  expandPath(platform, child, rest, path);
}
