import type { QueryClient } from "@tanstack/react-query";
import { createRootRouteWithContext, createRoute, createRouter, lazyRouteComponent, Outlet, redirect } from "@tanstack/react-router";
import { ledgerKinds } from "../../../src/wallet/kinds";
import { api } from "./api";
import { ErrorNote, Loading } from "./components/page";
import { Layout } from "./layout";
import { homeOf } from "./nav";
import { atLeast, day, flag, oneOf, paging, searchOf, someOf, text } from "./search";
import { sessionKey } from "./session";

/**
 * The admin's pages, with typed path and search parameters. Filters and
 * page cursors are search parameters, so a view can be shared and reloaded.
 * Each page is its own chunk, loaded when first opened (or when a link to it
 * is hovered), so the first load carries only the shell. Search parameters
 * are checked by search.ts, small enough for that first chunk.
 */
interface RouterContext {
  queryClient: QueryClient;
}

const sessionQuery = { queryKey: sessionKey, queryFn: () => api.members.me.query(), staleTime: 60_000 };
const currentSession = (context: RouterContext) => context.queryClient.ensureQueryData(sessionQuery);

const rootRoute = createRootRouteWithContext<RouterContext>()({ component: Outlet });

const page = <M extends Record<string, any>, K extends keyof M>(load: () => Promise<M>, name: K) => lazyRouteComponent(load, name);

// Signed-out pages: signing in or up sends a signed-in person home; an invitation opens either way.
const signedOut = async ({ context }: { context: RouterContext }) => {
  const session = await currentSession(context);
  if (session) throw redirect({ to: homeOf(session), replace: true });
};
const signIn = createRoute({
  getParentRoute: () => rootRoute,
  path: "/app/signin",
  validateSearch: searchOf({ next: text(4000) }),
  beforeLoad: signedOut,
  component: page(() => import("./pages/auth/sign-in"), "SignIn"),
});
const signUp = createRoute({ getParentRoute: () => rootRoute, path: "/app/signup", beforeLoad: signedOut, component: page(() => import("./pages/auth/sign-up"), "SignUp") });
const acceptInvite = createRoute({ getParentRoute: () => rootRoute, path: "/app/invite/$token", component: page(() => import("./pages/auth/accept-invite"), "AcceptInvite") });

// Stripe Connect's default return and refresh links (src/connect/router.ts) land outside /app.
const connectReturn = createRoute({
  getParentRoute: () => rootRoute,
  path: "/connect/return",
  beforeLoad: () => {
    throw redirect({ to: "/app/seller/stripe", search: { onboarding: "done" }, replace: true });
  },
});
const connectRefresh = createRoute({
  getParentRoute: () => rootRoute,
  path: "/connect/refresh",
  beforeLoad: () => {
    throw redirect({ to: "/app/seller/stripe", search: { onboarding: "expired" }, replace: true });
  },
});

/** Everything else under /app: signed in, inside the shell. Signed out, it is the sign-in page, coming back here after. */
const app = createRoute({
  getParentRoute: () => rootRoute,
  path: "/app",
  beforeLoad: async ({ context, location }) => {
    const session = await currentSession(context);
    if (!session) throw redirect({ to: "/app/signin", search: { next: location.pathname === "/app" ? undefined : location.href }, replace: true });
    return { session };
  },
  component: Layout,
});
const child = <P extends string>(path: P) => ({ getParentRoute: () => app, path });
const toHome = createRoute({
  ...child("/"),
  beforeLoad: ({ context }) => {
    throw redirect({ to: homeOf(context.session), replace: true });
  },
});
const unknown = createRoute({
  ...child("$"),
  beforeLoad: ({ context }) => {
    throw redirect({ to: homeOf(context.session), replace: true });
  },
});

const transactionKinds = ledgerKinds;

const pages = [
  createRoute({ ...child("seller/products"), validateSearch: searchOf(paging), component: page(() => import("./pages/seller/products"), "Products") }),
  createRoute({ ...child("seller/products/new"), validateSearch: searchOf({ source: text() }), component: page(() => import("./pages/seller/new-product"), "NewProduct") }),
  createRoute({
    ...child("seller/products/$id"),
    validateSearch: searchOf({ created: flag }),
    component: page(() => import("./pages/seller/product"), "ProductPage"),
  }),
  createRoute({ ...child("seller/data"), component: page(() => import("./pages/seller/data-sources"), "DataSources") }),
  createRoute({ ...child("seller/stripe"), validateSearch: searchOf({ onboarding: oneOf(["done", "expired"]) }), component: page(() => import("./pages/seller/stripe"), "StripeConnect") }),
  createRoute({ ...child("seller/earnings"), component: page(() => import("./pages/seller/earnings"), "Earnings") }),
  createRoute({ ...child("seller/payouts"), component: page(() => import("./pages/seller/payouts"), "Payouts") }),
  createRoute({
    ...child("seller/requests"),
    validateSearch: searchOf({ product: text(), status: oneOf(["success", "error"]), ...paging }),
    component: page(() => import("./pages/seller/request-log"), "RequestLog"),
  }),
  createRoute({
    ...child("marketplace"),
    validateSearch: searchOf({
      q: text(),
      type: oneOf(["asset", "endpoint"]),
      kind: oneOf(["calculation", "visualization"]),
      category: text(),
      tags: text(),
      min: atLeast(0),
      max: atLeast(0),
      ...paging,
    }),
    component: page(() => import("./pages/buyer/marketplace"), "Marketplace"),
  }),
  createRoute({ ...child("marketplace/$id"), component: page(() => import("./pages/buyer/listing"), "Listing") }),
  createRoute({ ...child("library"), component: page(() => import("./pages/buyer/library"), "Library") }),
  createRoute({ ...child("purchases/$id"), component: page(() => import("./pages/buyer/purchase"), "PurchasePage") }),
  createRoute({ ...child("keys"), component: page(() => import("./pages/buyer/endpoint-keys"), "EndpointKeys") }),
  createRoute({
    ...child("credits"),
    validateSearch: searchOf({ order: text(), checkout: oneOf(["success", "canceled"]) }),
    component: page(() => import("./pages/buyer/credits"), "CreditsPage"),
  }),
  createRoute({ ...child("credits/buy"), component: page(() => import("./pages/buyer/buy-credits"), "BuyCredits") }),
  createRoute({
    ...child("transactions"),
    validateSearch: searchOf({ kinds: someOf(transactionKinds), from: day, to: day, ...paging }),
    component: page(() => import("./pages/buyer/transactions"), "Transactions"),
  }),
  createRoute({
    ...child("disputes"),
    validateSearch: searchOf({ transaction: text(), request: text(), status: oneOf(["open", "refunding", "refunded", "rejected"]) }),
    component: page(() => import("./pages/buyer/disputes"), "Disputes"),
  }),
  createRoute({ ...child("settings"), component: page(() => import("./pages/buyer/settings"), "BuyerSettings") }),
  createRoute({ ...child("team"), component: page(() => import("./pages/team/team"), "Team") }),
  createRoute({ ...child("api-keys"), component: page(() => import("./pages/team/api-keys"), "ApiKeys") }),
  createRoute({ ...child("company"), component: page(() => import("./pages/team/company"), "CompanyPage") }),
  createRoute({
    ...child("admin/disputes"),
    // No status is the open ones, the queue staff work from.
    validateSearch: searchOf({ status: oneOf(["refunding", "refunded", "rejected", "all"]), ...paging }),
    component: page(() => import("./pages/admin/disputes"), "AdminDisputes"),
  }),
  createRoute({
    ...child("admin/companies"),
    validateSearch: searchOf({ q: text(), role: oneOf(["buyer", "seller"]), ...paging }),
    component: page(() => import("./pages/admin/companies"), "AdminCompanies"),
  }),
  createRoute({ ...child("admin/companies/$id"), component: page(() => import("./pages/admin/company"), "AdminCompany") }),
  createRoute({ ...child("admin/ledger"), component: page(() => import("./pages/admin/ledger"), "AdminLedger") }),
  createRoute({ ...child("admin/payouts"), component: page(() => import("./pages/admin/payouts"), "AdminPayouts") }),
] as const;

const routeTree = rootRoute.addChildren([signIn, signUp, acceptInvite, connectReturn, connectRefresh, app.addChildren([toHome, unknown, ...pages])]);

export const router = createRouter({
  routeTree,
  context: { queryClient: undefined! }, // given by main.tsx's RouterProvider
  scrollRestoration: true,
  defaultPreload: "intent",
  // Page data is TanStack Query's to cache; the router only loads the page's code.
  defaultPreloadStaleTime: 0,
  defaultPendingMs: 300,
  defaultPendingComponent: () => <Loading what="Opening the page" />,
  defaultErrorComponent: ({ error }) => <ErrorNote error={error} />,
  defaultNotFoundComponent: () => <main className="center"><ErrorNote error={new Error("not found")} title="No such page." /></main>,
});

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
}
