import { z } from "zod";
import { balanceView } from "../../credits/service";
import { currentRate } from "../../rates";
import { ok } from "../results";
import { tool } from "../tool";

export const getBalance = tool({
  name: "get_balance",
  title: "Credit balance",
  description:
    "Your company's credits: balance, held (reserved by calls in flight), available to spend, the balance in USD, and whether it is below the low-balance threshold. " +
    "Free. When credits run short, buy_credits gives a Checkout link for a person to pay.",
  input: z.object({}).strict(),
  scope: "read",
  readOnly: true,
  metered: false,
  async run(ctx) {
    const [balance, rate] = await Promise.all([ctx.s.wallet(ctx.caller.companyId).balance(), currentRate(ctx.s.db)]);
    return ok(balanceView(balance, rate));
  },
});
