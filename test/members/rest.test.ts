import { describe, expect, it } from "vitest";
import { signedUp } from "./browser";
import { BASE } from "../harness";

describe("members: the company REST reads from the admin", () => {
  it("GET /companies/:id/credits accepts the session with the CSRF header, and only for its own company", async () => {
    const a = await signedUp();
    const b = await signedUp();
    const own = await a.fetch(`${BASE}/companies/${a.company.id}/credits`, { headers: { "x-tessera-csrf": "1" } });
    expect(own.status).toBe(200);
    expect(((await own.json()) as { data: { balance_credits: number } }).data.balance_credits).toBe(0);

    const other = await a.fetch(`${BASE}/companies/${b.company.id}/credits`, { headers: { "x-tessera-csrf": "1" } });
    expect(other.status).toBe(404);
    await other.body?.cancel();

    const noHeader = await a.fetch(`${BASE}/companies/${a.company.id}/credits`);
    expect(noHeader.status).toBe(401);
    await noHeader.body?.cancel();
  });
});
