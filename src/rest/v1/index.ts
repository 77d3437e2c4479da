import { Hono } from "hono";
import type { AppEnv } from "../../app";
import { executeAsset } from "./assets";
import { getEndpoint } from "./endpoints";

/** The public metered REST surface buyers call from their own code. */
export const v1 = new Hono<AppEnv>();

v1.get("/endpoints/:endpointId", (c) => getEndpoint(c));
v1.post("/assets/:assetId/executions", (c) => executeAsset(c));
