/**
 * Every list procedure pages one way: `{ limit?, cursor? }` in,
 * `{ items, nextCursor }` out, with an opaque cursor that only its own list
 * reads back. Walking the pages yields every row once, in order.
 */
import { describe, expect, it } from "vitest";
import { h, adminKey, client, expectCode } from "../harness";

type PageOf<T> = { items: T[]; nextCursor: string | null };

/** Every page of a list, `limit` at a time. */
async function walk<T>(list: (input: { limit: number; cursor?: string }) => Promise<PageOf<T>>, limit: number): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | undefined;
  do {
    const page = await list({ limit, ...(cursor ? { cursor } : {}) });
    pages.push(page.items);
    cursor = page.nextCursor ?? undefined;
    if (pages.length > 50) throw new Error("the list never ends");
  } while (cursor);
  return pages;
}

describe("one paging shape for every list", () => {
  it("walks the keys in pages of 2: each once, in the list's order, and the last page says there is no next", async () => {
    const co = await h.buyer({ name: "Paging Keys Co" });
    for (const name of ["a", "b", "c", "d"]) await co.api.keys.create.mutate({ name, scope: "read" });
    const all = (await co.api.keys.list.query()).items;
    expect(all).toHaveLength(5); // the sign-up key and four more
    const pages = await walk((input) => co.api.keys.list.query(input), 2);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat().map((k) => k.id)).toEqual(all.map((k) => k.id));
  });

  it("a list called with nothing is its first page at the list's own size", async () => {
    const co = await h.buyer({ name: "Default Page Co" });
    const page = await co.api.members.list.query();
    expect(page).toEqual({ items: [], nextCursor: null });
  });

  it("walks the ledger by its cursor with its filters", async () => {
    const buyer = await h.buyer({ credits: 10, name: "Paging Ledger Co" });
    const ops = client(await adminKey());
    for (let i = 0; i < 4; i++) await ops.admin.grant.mutate({ companyId: buyer.company.id, credits: 1, reason: `grant ${i}` });
    const pages = await walk((input) => buyer.api.credits.history.query({ ...input, kinds: ["grant"] }), 3);
    expect(pages.map((p) => p.length)).toEqual([3, 2]);
    expect(pages.flat().map((e) => e.reason)).toEqual(["grant 3", "grant 2", "grant 1", "grant 0", "test funds"]);
  });

  it("refuses a cursor it did not give: garbage, another list's, or a key of the wrong shape, each BAD_REQUEST", async () => {
    const co = await h.buyer({ name: "Bad Cursor Co" });
    for (const name of ["a", "b"]) await co.api.keys.create.mutate({ name, scope: "read" });
    const keysCursor = (await co.api.keys.list.query({ limit: 1 })).nextCursor!;
    expect(keysCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    await expectCode(co.api.keys.list.query({ cursor: "not a cursor!" }), "BAD_REQUEST");
    await expectCode(co.api.keys.list.query({ cursor: btoa("{}") }), "BAD_REQUEST");
    // The keys list's cursor is not the invitations list's, nor the ledger's.
    await expectCode(co.api.dataSources.list.query({ cursor: keysCursor }), "BAD_REQUEST");
    await expectCode(co.api.credits.history.query({ cursor: keysCursor }), "BAD_REQUEST");
    const wrongKey = btoa(JSON.stringify(["keys", ["yesterday", 1]])).replace(/=+$/, "");
    await expectCode(co.api.keys.list.query({ cursor: wrongKey }), "BAD_REQUEST");
    await expectCode(co.api.keys.list.query({ limit: 0 }), "BAD_REQUEST");
    await expectCode(co.api.keys.list.query({ limit: 101 }), "BAD_REQUEST");
  });

  it("a cursor from another company only positions a page of the caller's own rows", async () => {
    const a = await h.buyer({ name: "Cursor Owner A" });
    const b = await h.buyer({ name: "Cursor Reader B" });
    for (const name of ["a1", "a2", "a3"]) await a.api.keys.create.mutate({ name, scope: "read" });
    const aCursor = (await a.api.keys.list.query({ limit: 1 })).nextCursor!;
    const seen = (await b.api.keys.list.query({ cursor: aCursor })).items;
    const bKeys = (await b.api.keys.list.query()).items.map((k) => k.id);
    expect(seen.every((k) => bKeys.includes(k.id))).toBe(true);
  });
});
