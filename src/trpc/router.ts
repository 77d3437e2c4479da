import { adminRouter } from "../admin/router";
import { billingRouter } from "../billing/router";
import { companiesRouter, keysRouter } from "../companies/router";
import { connectRouter } from "../connect/router";
import { creditsRouter } from "../credits/router";
import { dataSourcesRouter } from "../data-sources/router";
import { disputesRouter } from "../disputes/router";
import { marketplaceRouter } from "../marketplace/router";
import { mcpRouter } from "../mcp/oauth/router";
import { membersRouter } from "../members/router";
import { earningsRouter, payoutsRouter } from "../payouts/router";
import { productsRouter } from "../products/router";
import { ratingsRouter } from "../ratings/router";
import { router } from "./trpc";

export const appRouter = router({
  companies: companiesRouter,
  keys: keysRouter,
  credits: creditsRouter,
  admin: adminRouter,
  products: productsRouter,
  marketplace: marketplaceRouter,
  dataSources: dataSourcesRouter,
  billing: billingRouter,
  members: membersRouter,
  connect: connectRouter,
  earnings: earningsRouter,
  payouts: payoutsRouter,
  disputes: disputesRouter,
  ratings: ratingsRouter,
  mcp: mcpRouter,
});

export type AppRouter = typeof appRouter;
