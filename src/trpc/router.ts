import { adminRouter } from "../admin/router";
import { companiesRouter, keysRouter } from "../companies/router";
import { creditsRouter } from "../credits/router";
import { dataSourcesRouter } from "../data-sources/router";
import { marketplaceRouter } from "../marketplace/router";
import { productsRouter } from "../products/router";
import { router } from "./trpc";

export const appRouter = router({
  companies: companiesRouter,
  keys: keysRouter,
  credits: creditsRouter,
  admin: adminRouter,
  products: productsRouter,
  marketplace: marketplaceRouter,
  dataSources: dataSourcesRouter,
});

export type AppRouter = typeof appRouter;
