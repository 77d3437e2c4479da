import { useQueryClient } from "@tanstack/react-query";
import { RouterProvider } from "@tanstack/react-router";
import { useRef } from "react";
import { focusHeadingSoon } from "./focus";
import { ErrorNote, Loading } from "./components/page";
import { router } from "./routes";
import { useSession } from "./session";

// After a navigation to another page (not a change of its filters), focus moves to the new page's heading, so a screen reader starts there.
router.subscribe("onRendered", (event) => {
  if (event.fromLocation && event.pathChanged) focusHeadingSoon();
});

/**
 * The session is asked for once before any page is routed, so the routes'
 * guards (routes.tsx) decide on a known session instead of each waiting.
 */
export function App() {
  const queryClient = useQueryClient();
  const session = useSession();
  const known = useRef(false);
  if (session.data !== undefined) known.current = true;

  if (!known.current) {
    if (session.error) return <main className="center"><ErrorNote error={session.error} /></main>;
    return <main className="center"><Loading what="Opening Tessera" /></main>;
  }
  return <RouterProvider router={router} context={{ queryClient }} />;
}
