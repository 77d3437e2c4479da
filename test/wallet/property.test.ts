import { env } from "cloudflare:workers";
import fc from "fast-check";
import { expect, it } from "vitest";
import type { DepositKind } from "../../src/wallet/types";
import { credits, freshWallet, sale, sleep, USD_PER_CREDIT, type TestWallet } from "./helpers";
import { codeOf, drained } from "../harness";

/**
 * Random sequences of every operation (with retries, conflicting reuse of ids,
 * expiring lots and short-lived holds). After every step the books are
 * recomputed from storage: ledger sum == balance, lots + held == balance,
 * available >= 0; and every entry a step wrote is the movement the step
 * asked for, or an expiry.
 */

const amount = fc.integer({ min: 1, max: credits(20) });
const op = fc.oneof(
  fc.record({
    t: fc.constant("deposit" as const),
    kind: fc.constantFrom<DepositKind>("top_up", "plan", "grant", "allocation", "refund"),
    amount: fc.integer({ min: 1, max: credits(50) }),
    expiresInMs: fc.option(fc.integer({ min: 20, max: 200 })),
  }),
  fc.record({ t: fc.constant("hold" as const), amount, ttlMs: fc.option(fc.integer({ min: 20, max: 200 })) }),
  fc.record({ t: fc.constant("commit" as const), pick: fc.nat(), part: fc.constantFrom("all", "half", "one", "over") }),
  fc.record({ t: fc.constant("release" as const), pick: fc.nat() }),
  fc.record({ t: fc.constant("charge" as const), amount }),
  fc.record({ t: fc.constant("adjust" as const), amount }),
  fc.record({ t: fc.constant("retry" as const), pick: fc.nat() }),
  fc.record({ t: fc.constant("conflict" as const), pick: fc.nat() }),
  fc.record({ t: fc.constant("wait" as const), ms: fc.integer({ min: 0, max: 60 }) }),
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

interface Call {
  method: "deposit" | "hold" | "commit" | "release" | "charge" | "adjust";
  input: Record<string, unknown>;
  result: unknown;
}
interface ModelHold {
  id: string;
  credits: number;
  expiresAt: number;
  status: "held" | "committed" | "released";
  commit?: { credits: number; result: unknown };
}

function invoke(t: TestWallet, call: Pick<Call, "method" | "input">): Promise<unknown> {
  const w = t.w as unknown as Record<Call["method"], (input: unknown) => Promise<unknown>>;
  return w[call.method](call.input);
}

async function runSequence(ops: Op[]) {
  const t = freshWallet("co_prop");
  const calls: Call[] = [];
  const holds: ModelHold[] = [];
  /** Every instant at which something may lapse (a lot's or a hold's expiry). */
  const deadlines: number[] = [];

  for (const [step, o] of ops.entries()) {
    const before = await t.w.audit();
    let call: Pick<Call, "method" | "input"> | null = null;
    /** The non-expiry movement this step must write. */
    let expected = 0;
    let allowed: string[] = ["OK"];
    let onOk: (result: unknown) => void = () => {};
    let hold: ModelHold | undefined;
    let lateAt = Number.POSITIVE_INFINITY;

    switch (o.t) {
      case "deposit": {
        const expiresAt = o.expiresInMs !== null && o.kind !== "top_up" ? Date.now() + o.expiresInMs : undefined;
        call = { method: "deposit", input: { id: `d${step}`, kind: o.kind, credits: o.amount, expiresAt, usdPerCredit: USD_PER_CREDIT } };
        expected = o.amount;
        // On a slow machine the expiry may pass before the call lands: refused, nothing moved.
        if (expiresAt !== undefined) {
          lateAt = expiresAt;
          deadlines.push(expiresAt);
        }
        break;
      }
      case "hold": {
        const id = `h${step}`;
        call = { method: "hold", input: { id, credits: o.amount, ...(o.ttlMs === null ? {} : { ttlMs: o.ttlMs }) } };
        allowed = ["OK", "INSUFFICIENT_CREDITS"];
        onOk = (r) => {
          const expiresAt = (r as { hold: { expiresAt: number } }).hold.expiresAt;
          holds.push({ id, credits: o.amount, expiresAt, status: "held" });
          deadlines.push(expiresAt);
        };
        break;
      }
      case "commit": {
        hold = holds[o.pick % Math.max(holds.length, 1)];
        if (!hold) continue;
        const part = { all: undefined, half: Math.max(1, Math.floor(hold.credits / 2)), one: 1, over: hold.credits + 1 }[o.part];
        call = { method: "commit", input: { id: hold.id, ...(part === undefined ? {} : { credits: part }), sale: sale() } };
        const h = hold;
        if (h.status === "held") {
          allowed = o.part === "over" ? ["INVALID_AMOUNT", "HOLD_RESOLVED"] : ["OK", "HOLD_RESOLVED"];
          expected = -(part ?? h.credits);
          onOk = (r) => {
            h.status = "committed";
            h.commit = { credits: part ?? h.credits, result: r };
          };
        } else if (h.status === "committed" && h.commit?.credits === (part ?? h.credits)) {
          // The same commit again: its first outcome, nothing moved.
          allowed = ["OK"];
          onOk = (r) => expect(r).toEqual(h.commit!.result);
        } else {
          allowed = ["HOLD_RESOLVED"];
        }
        break;
      }
      case "release": {
        hold = holds[o.pick % Math.max(holds.length, 1)];
        if (!hold) continue;
        call = { method: "release", input: { id: hold.id } };
        allowed = hold.status === "held" ? ["OK", "HOLD_RESOLVED"] : hold.status === "released" ? ["OK"] : ["HOLD_RESOLVED"];
        const h = hold;
        onOk = () => (h.status = "released");
        break;
      }
      case "charge":
        call = { method: "charge", input: { id: `c${step}`, credits: o.amount, sale: sale() } };
        allowed = ["OK", "INSUFFICIENT_CREDITS"];
        expected = -o.amount;
        break;
      case "adjust":
        call = { method: "adjust", input: { id: `a${step}`, credits: o.amount, reason: "property", usdPerCredit: USD_PER_CREDIT } };
        allowed = ["OK", "INSUFFICIENT_CREDITS"];
        expected = -o.amount;
        break;
      case "retry": {
        const first = calls[o.pick % Math.max(calls.length, 1)];
        if (!first) continue;
        // A retry returns the first outcome and moves nothing.
        expect(await invoke(t, first)).toEqual(first.result);
        break;
      }
      case "conflict": {
        const reusable = calls.filter((c) => c.method !== "release");
        const first = reusable[o.pick % Math.max(reusable.length, 1)];
        if (!first) continue;
        if (first.method === "commit") {
          // Another sale for a committed hold: refused as resolved.
          expect(await codeOf(invoke(t, { method: "commit", input: { ...first.input, sale: sale({ productId: "prod_other" }) } }))).toBe("HOLD_RESOLVED");
        } else {
          const input = { ...first.input, credits: (first.input.credits as number) + 1 };
          expect(await codeOf(invoke(t, { method: first.method, input }))).toBe("CONFLICT");
        }
        break;
      }
      case "wait":
        await sleep(o.ms);
        break;
    }

    let code = "-";
    let refused = 0;
    const callAt = Date.now();
    if (call) {
      let result: unknown;
      code = await codeOf(invoke(t, call).then((r) => (result = r)));
      const afterCall = Date.now();
      // A hold that could not have lapsed yet must not be reported resolved.
      if (hold && hold.status === "held" && afterCall < hold.expiresAt - 5) allowed = allowed.filter((c) => c !== "HOLD_RESOLVED");
      if (afterCall >= lateAt) allowed.push("BAD_REQUEST");
      expect(allowed, `${JSON.stringify(call)} -> ${code}`).toContain(code);
      if (code === "OK") {
        calls.push({ ...call, result });
        onOk(result);
      } else {
        expected = 0;
        if (code === "INSUFFICIENT_CREDITS") refused = call.input.credits as number;
      }
    }

    const after = await t.w.audit();
    // A refusal for lack of credits must be real. Checked when nothing could lapse between the call and
    // the audit (an alarm may run in between and change `available`).
    const auditAt = Date.now();
    if (refused && !deadlines.some((at) => at >= callAt - 5 && at <= auditAt + 5)) {
      expect(refused, JSON.stringify({ step, o, after })).toBeGreaterThan(after.balance - after.held);
    }
    expect(after.ok, JSON.stringify(after)).toBe(true);
    expect(after.balance - after.held).toBeGreaterThanOrEqual(0);
    // Entries this step wrote (reading history may itself expire a lot: those come after `after`).
    const written = (await t.w.history({ limit: 500 })).filter((e) => e.seq > before.entries && e.seq <= after.entries);
    const movements = written.filter((e) => e.kind !== "expiry");
    expect(movements.reduce((s, e) => s + e.amount, 0), JSON.stringify({ step, o, code, before, written })).toBe(expected);
    expect(movements.length).toBeLessThanOrEqual(1);
    for (const e of written.filter((e) => e.kind === "expiry")) expect(e.amount).toBeLessThan(0);
    expect(after.balance).toBe(before.balance + written.reduce((s, e) => s + e.amount, 0));
  }

  // And D1 ends up with exactly the wallet's ledger. First let every short deadline pass and settle, so
  // no alarm adds entries while we compare.
  const lastSoon = Math.max(0, ...deadlines.filter((at) => at < Date.now() + 10_000));
  await sleep(Math.max(0, lastSoon - Date.now()) + 10);
  await t.w.balance();
  const ledger = (await t.w.history({ limit: 500 })).reverse().map((e) => ({ id: e.id, amount: e.amount }));
  await drained(t.companyId);
  const { results } = await env.DB.prepare("SELECT id, amount FROM transactions WHERE company_id = ? ORDER BY seq").bind(t.companyId).all();
  expect(results).toEqual(ledger);
}

it("keeps available = balance - held >= 0 and ledger sum == balance over random operation sequences", async () => {
  await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 40 }), runSequence), { numRuns: 40 });
}, 120_000);
