import type { FormObject } from "./form.ts";
import type { Platform, RequestRef, World } from "./platform.ts";

/** What a Stripe API handler sees: the caller's platform and its decoded parameters. */
export interface ApiContext {
  world: World;
  platform: Platform;
  params: Record<string, string>;
  body: FormObject;
  request: RequestRef & { id: string };
}

/** Hosted pages and `/_local` controls: no Stripe auth; an API key, when sent, scopes the call. */
export interface LocalContext {
  world: World;
  params: Record<string, string>;
  body: FormObject;
  query: URLSearchParams;
  platformKey: string | undefined;
}

/** A response other than the 200 JSON a handler returns by default. */
export class Reply {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly headers: Record<string, string> = {},
  ) {}

  static html(status: number, body: string): Reply {
    return new Reply(status, body, { "content-type": "text/html; charset=utf-8" });
  }

  static redirect(location: string): Reply {
    return new Reply(303, "", { location });
  }

  static json(status: number, value: unknown): Reply {
    return new Reply(status, JSON.stringify(value, null, 2), { "content-type": "application/json" });
  }
}

export type Route =
  | { kind: "api"; method: string; parts: string[]; handler: (context: ApiContext) => unknown }
  | { kind: "local"; method: string; parts: string[]; handler: (context: LocalContext) => unknown };

export function api(method: string, pattern: string, handler: (context: ApiContext) => unknown): Route {
  return { kind: "api", method, parts: pattern.split("/"), handler };
}

export function local(method: string, pattern: string, handler: (context: LocalContext) => unknown): Route {
  return { kind: "local", method, parts: pattern.split("/"), handler };
}

export function match(routes: Route[], method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
  const parts = path.split("/");
  for (const route of routes) {
    if (route.method !== method || route.parts.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = route.parts.every((part, index) => {
      const actual = parts[index]!;
      if (part.startsWith(":")) {
        if (actual === "") return false;
        params[part.slice(1)] = decodeURIComponent(actual);
        return true;
      }
      return part === actual;
    });
    if (ok) return { route, params };
  }
  return undefined;
}
