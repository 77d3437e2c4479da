import { createRoute, z } from "@hono/zod-openapi";
import { restRouter } from "./router";
import { json } from "./schemas";

export const getHealth = createRoute({
  method: "get",
  path: "/health",
  operationId: "health",
  summary: "Is the Worker up",
  description: "Answers without reading anything: for uptime checks.",
  tags: ["Service"],
  responses: { 200: json("Up.", z.object({ ok: z.literal(true) })) },
});

export const health = restRouter().openapi(getHealth, (c) => c.json({ ok: true as const }, 200));
