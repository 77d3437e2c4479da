import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { Feed, type FeedQueues } from "../../src/wallet/feed";
import type { Crossing } from "../../src/wallet/crossings";
import { freshWallet } from "./helpers";

/** A queue that refuses every send, as Queues does when it is unavailable. */
const refusing = { sendBatch: () => Promise.reject(new Error("queue unavailable")) } as unknown as Queue<never>;

describe("the feed's backoff runs on the wallet's clock", () => {
  it("schedules the retry from the clock it was given, not the real one", async () => {
    const t = freshWallet();
    const later = Date.now() + 30 * 86_400_000; // a test clock moved a month ahead
    const retryAt = await runInDurableObject(t.stub, async (_w, state) => {
      const crossing: Crossing = { id: `${t.companyId}:1`, companyId: t.companyId, watch: "low_balance", threshold: 1 as never, available: 0 as never, at: later };
      const queues: FeedQueues = { ledger: refusing, crossings: refusing };
      const feed = new Feed(state.storage.sql, t.companyId, queues, () => ({ rows: [crossing], remove: () => {} }), () => {}, () => later);
      expect(await feed.flush()).toMatchObject({ ok: false });
      return feed.retryAt;
    });
    // The first backoff is one second: the wallet compares retryAt with its own (moved) clock.
    expect(retryAt).toBe(later + 1_000);
  });
});
