import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { ON_DEMAND_CREDITS_RULE } from "../../src/billing/pricing";
import { errorCode } from "../../client/src";
import { h } from "../harness";

/** The field a refusal names in `details.issues`, as the admin's forms read it (client/src/app/components/forms.tsx). */
async function refusal(call: Promise<unknown>): Promise<{ code: string | undefined; issues: { path: string; message: string }[] | undefined }> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  return { code: errorCode(error), issues: ((error as TRPCClientError<never>).data as { details?: { issues?: { path: string; message: string }[] } } | undefined)?.details?.issues };
}

describe("billing: a refusal about one field names it", () => {
  it("on-demand credits out of range are INVALID_AMOUNT on `credits`, and missing ones too", async () => {
    const b = await h.buyer();
    expect(await refusal(b.api.billing.checkout.mutate({ kind: "on_demand", credits: 9 }))).toEqual({
      code: "INVALID_AMOUNT",
      issues: [{ path: "credits", message: ON_DEMAND_CREDITS_RULE }],
    });
    expect(await refusal(b.api.billing.checkout.mutate({ kind: "on_demand" }))).toEqual({
      code: "INVALID_AMOUNT",
      issues: [{ path: "credits", message: ON_DEMAND_CREDITS_RULE }],
    });
  });

  it("a refill amount is refused on `refillCredits`", async () => {
    const b = await h.buyer();
    const { code, issues } = await refusal(b.api.billing.autoRefill.set.mutate({ enabled: false, thresholdCredits: 20, refillCredits: 10.5 }));
    expect(code).toBe("INVALID_AMOUNT");
    expect(issues).toEqual([{ path: "refillCredits", message: ON_DEMAND_CREDITS_RULE }]);
  });

  it("a webhook URL the server won't call is BAD_REQUEST on `webhookUrl`", async () => {
    const b = await h.buyer();
    const { code, issues } = await refusal(b.api.billing.lowBalanceAlert.set.mutate({ thresholdCredits: 5, webhookUrl: "https://user:pw@example.com/hook" }));
    expect(code).toBe("BAD_REQUEST");
    expect(issues).toEqual([{ path: "webhookUrl", message: "The webhook URL must not contain credentials." }]);
  });
});
