import { describe, expect, it } from "vitest";
import { ON_DEMAND_CREDITS_RULE } from "../../src/billing/pricing";
import { h, fieldRefusal } from "../harness";


describe("billing: a refusal about one field names it", () => {
  it("on-demand credits out of range are INVALID_AMOUNT on `credits`, and missing ones too", async () => {
    const b = await h.buyer();
    expect(await fieldRefusal(b.api.billing.checkout.mutate({ kind: "on_demand", credits: 9 }))).toEqual({
      code: "INVALID_AMOUNT",
      issues: [{ path: "credits", message: ON_DEMAND_CREDITS_RULE }],
    });
    expect(await fieldRefusal(b.api.billing.checkout.mutate({ kind: "on_demand" }))).toEqual({
      code: "INVALID_AMOUNT",
      issues: [{ path: "credits", message: ON_DEMAND_CREDITS_RULE }],
    });
  });

  it("a refill amount is refused on `refillCredits`", async () => {
    const b = await h.buyer();
    const { code, issues } = await fieldRefusal(b.api.billing.autoRefill.set.mutate({ enabled: false, thresholdCredits: 20, refillCredits: 10.5 }));
    expect(code).toBe("INVALID_AMOUNT");
    expect(issues).toEqual([{ path: "refillCredits", message: ON_DEMAND_CREDITS_RULE }]);
  });

  it("a webhook URL the server won't call is BAD_REQUEST on `webhookUrl`", async () => {
    const b = await h.buyer();
    const { code, issues } = await fieldRefusal(b.api.billing.lowBalanceAlert.set.mutate({ thresholdCredits: 5, webhookUrl: "https://user:pw@example.com/hook" }));
    expect(code).toBe("BAD_REQUEST");
    expect(issues).toEqual([{ path: "webhookUrl", message: "The webhook URL must not contain credentials." }]);
  });
});
