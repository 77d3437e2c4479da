import { Suspense, useEffect, useRef } from "react";
import { focusHeadingSoon } from "./focus";
import { Loading, ErrorNote } from "./components/page";
import { Layout } from "./layout";
import { matchPath, navigate, useLocation } from "./router";
import { publicRoutes, routes, homeOf } from "./routes";
import { useSession } from "./session";

/** Signed out: sign-in, sign-up and invitation pages. Signed in: the admin. */
export function App() {
  const session = useSession();
  const { path } = useLocation();

  const signedIn = Boolean(session.data);
  const publicRoute = publicRoutes.find((r) => matchPath(r.path, path));
  const route = routes.find((r) => matchPath(r.path, path));

  // After a navigation, focus moves to the new page's heading (once it has loaded), so a screen reader starts there.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    focusHeadingSoon();
  }, [path]);

  // Stripe Connect's default return and refresh links (src/connect/router.ts) land outside /app.
  useEffect(() => {
    if (path === "/connect/return") navigate("/app/seller/stripe?onboarding=done", { replace: true });
    else if (path === "/connect/refresh") navigate("/app/seller/stripe?onboarding=expired", { replace: true });
  }, [path]);

  useEffect(() => {
    if (session.isPending || session.error || path.startsWith("/connect/")) return;
    if (!signedIn && !publicRoute) navigate(`/app/signin${path.startsWith("/app/") && path !== "/app/signin" ? `?next=${encodeURIComponent(path + window.location.search)}` : ""}`, { replace: true });
    else if (signedIn && (publicRoute?.signedOutOnly || !route && !publicRoute)) navigate(homeOf(session.data!), { replace: true });
  }, [session.isPending, session.error, signedIn, publicRoute, route, path, session.data]);

  if (session.error) return <main className="center"><ErrorNote error={session.error} /></main>;
  if (session.isPending) return <main className="center"><Loading what="Opening Tessera" /></main>;

  if (publicRoute && (!signedIn || !publicRoute.signedOutOnly)) {
    const Page = publicRoute.component;
    return (
      <Suspense fallback={<main className="center"><Loading /></main>}>
        <Page {...matchPath(publicRoute.path, path)!} />
      </Suspense>
    );
  }
  if (!signedIn || !route) return <main className="center"><Loading /></main>;
  const Page = route.component;
  return (
    <Layout>
      <Suspense fallback={<Loading what="Opening the page" />}>
        <Page {...matchPath(route.path, path)!} />
      </Suspense>
    </Layout>
  );
}
