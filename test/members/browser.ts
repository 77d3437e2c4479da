import { createTesseraClient, type TesseraClient } from "../../client/src";
import { BASE, workerFetch } from "../harness";

let clients = 0;
/** A client address of its own, as Cloudflare's edge would set it in `cf-connecting-ip`. */
export function uniqueAddress(): string {
  clients += 1;
  return `10.${Math.floor(Math.random() * 256)}.${clients >> 8}.${clients & 255}`;
}

/**
 * A browser stand-in: keeps the cookies the worker sets and sends them back,
 * and sends the CSRF header the admin sends (unless `csrf: false`). Each
 * browser has its own client address unless `address` is given.
 */
export function browser(opts: { csrf?: boolean; origin?: string; address?: string } = {}) {
  const origin = opts.origin ?? BASE;
  const address = opts.address ?? uniqueAddress();
  const jar = new Map<string, string>();
  const setCookies: string[] = [];
  const fetchWithJar: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const headers = new Headers(request.headers);
    if (jar.size) headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
    headers.set("cf-connecting-ip", address);
    const response = await workerFetch(new Request(request, { headers }));
    for (const line of response.headers.getSetCookie()) {
      setCookies.push(line);
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === "" || /max-age=0/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
    return response;
  };
  const api: TesseraClient = createTesseraClient(origin, {
    headers: opts.csrf === false ? {} : { "x-tessera-csrf": "1" },
    fetch: fetchWithJar,
  });
  return { api, jar, setCookies, fetch: fetchWithJar, cookie: () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ") };
}

/**
 * Local rate limits count in fixed one-minute windows; a test that counts
 * attempts starts well inside one, so no window ends halfway through it.
 */
export async function clearOfMinuteBoundary(margin = 10_000): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 60_000 - margin) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 100));
}

let n = 0;
export function uniqueEmail(prefix = "person"): string {
  n += 1;
  return `${prefix}.${Date.now()}.${n}.${Math.random().toString(36).slice(2, 8)}@example.com`;
}

export const PASSWORD = "correct horse battery";

/** A signed-in browser of a new company whose first member (an admin) it is. */
export async function signedUp(opts: { isSeller?: boolean; email?: string } = {}) {
  const b = browser();
  const email = opts.email ?? uniqueEmail("admin");
  const result = await b.api.members.signUp.mutate({
    companyName: "Members Co",
    isBuyer: true,
    isSeller: opts.isSeller ?? false,
    name: "Ada Admin",
    email,
    password: PASSWORD,
  });
  return { ...b, email, ...result };
}
