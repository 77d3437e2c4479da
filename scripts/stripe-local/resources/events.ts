import { noSuch } from "../errors.ts";
import { page } from "../list.ts";
import { optionalArray, optionalString } from "../params.ts";
import { api } from "../router.ts";

export const eventRoutes = [
  api("GET", "/v1/events/:id", ({ platform, params }) => {
    const event = platform.events.get(params.id!);
    if (!event) throw noSuch("event", params.id!);
    return event;
  }),
  /** Newest first; `type` (with `*` wildcards like `invoice.*`) or `types[]` filter. */
  api("GET", "/v1/events", ({ platform, body }) => {
    const type = optionalString(body, "type");
    const types = optionalArray(body, "types") as string[] | undefined;
    const pattern = type ? new RegExp(`^${type.replaceAll(".", "\\.").replaceAll("*", ".*")}$`) : undefined;
    const events = [...platform.events.values()]
      .reverse()
      .filter((event) => (!pattern || pattern.test(event.type)) && (!types || types.includes(event.type)));
    return page(events, "/v1/events", body);
  }),
];
