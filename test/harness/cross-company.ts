import { beforeAll, describe, expect, it } from "vitest";
import { codeOf } from "./errors";

/** A REST answer as `rest()` gives it. */
interface RestAnswer {
  status: number;
  body: any;
}

/** What a company calls with an id: a typed-client call (rejects on refusal) or a REST answer. */
type Call = Promise<unknown>;

export interface CrossCompanyCase<W> {
  /** The procedure or route, as a reader would look for it ("products.get", "GET /v1/datasets/{id}"). */
  name: string;
  /** Another company's call with the owner's id: it must be refused, and leave the thing as it was. */
  other(world: W): Call;
  /** The owner's same call, made after: it must succeed, so the id was real and untouched. */
  own(world: W): Call;
  /**
   * The id only narrows a list of the caller's own (a filter, not a lookup):
   * another company's id matches nothing there, and the owner's matches rows.
   */
  filter?: boolean;
}

const refusals = ["NOT_FOUND", "FORBIDDEN"];

function isRest(value: unknown): value is RestAnswer {
  return typeof value === "object" && value !== null && "status" in value && "body" in value;
}

/** How a call was refused ("NOT_FOUND", "FORBIDDEN", …), or "answered" with what. */
async function refusalOf(call: Call): Promise<string> {
  let answer: unknown;
  try {
    answer = await call;
  } catch (error) {
    return codeOf(Promise.reject(error));
  }
  if (!isRest(answer)) return `answered ${JSON.stringify(answer)?.slice(0, 200)}`;
  const code = answer.body?.error?.code;
  return [403, 404].includes(answer.status) && code ? code : `answered ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`;
}

/**
 * Unkey's common route tests, for Tessera: every procedure and route that takes
 * an id runs through here. Another company's call with the owner's id is
 * refused with NOT_FOUND or FORBIDDEN (never data, never an effect), and the
 * owner's call right after still works. `setup` builds one world for the file.
 */
export function runCrossCompanyTests<W>(title: string, setup: () => Promise<W>, cases: CrossCompanyCase<W>[]) {
  describe(title, () => {
    let world: W;
    beforeAll(async () => {
      world = await setup();
    }, 60_000);

    for (const c of cases) {
      if (c.filter) {
        it(`${c.name}: another company's id matches nothing of its own; the owner's matches`, async () => {
          expect(await c.other(world)).toEqual([]);
          expect(((await c.own(world)) as unknown[]).length).toBeGreaterThan(0);
        });
        continue;
      }
      it(`${c.name}: another company is refused; the owner is not`, async () => {
        const refused = await refusalOf(c.other(world));
        expect(refusals, `${c.name} answered another company (${refused})`).toContain(refused);
        const own = await c.own(world);
        if (isRest(own)) expect(own.status, `${c.name} refused its owner: ${JSON.stringify(own.body)}`).toBeLessThan(400);
      });
    }
  });
}
