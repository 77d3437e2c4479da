import { describe, expect, it } from "vitest";
import type { Outbox } from "../../scripts/stripe-local/outbox";
import { World } from "../../scripts/stripe-local/platform";
import type { CustomerWire } from "../../scripts/stripe-local/types";

const outbox = { push() {}, clear() {} } as unknown as Outbox;

describe("the local server's saved state (npm start keeps its Stripe across restarts)", () => {
  it("restores every platform's objects, sets and balance from a snapshot", () => {
    const before = new World("http://127.0.0.1:12111", outbox, "2026-01-01");
    const platform = before.platform("sk_test_local");
    platform.customers.set("cus_1", { id: "cus_1", object: "customer", email: "a@b.example" } as CustomerWire);
    platform.decliningCustomers.add("cus_1");
    platform.balance = 4200;
    before.platform("sk_test_other").balance = 7;

    const after = new World("http://127.0.0.1:12111", outbox, "2026-01-01");
    after.restore(JSON.parse(JSON.stringify(before.snapshot())));
    const restored = after.platform("sk_test_local");
    expect(restored.customers.get("cus_1")).toEqual(platform.customers.get("cus_1"));
    expect(restored.decliningCustomers.has("cus_1")).toBe(true);
    expect(restored.balance).toBe(4200);
    expect(after.platform("sk_test_other").balance).toBe(7);
    expect(after.owner("cus_1")).toBe(restored);
  });
});
