import { useQuery, type QueryClient } from "@tanstack/react-query";
import { api, type Outputs } from "./api";

export type Session = NonNullable<Outputs["members"]["me"]>;

export const sessionKey = ["members.me"] as const;

/** The signed-in member and company, or null when signed out. */
export function useSession() {
  return useQuery({ queryKey: sessionKey, queryFn: () => api.members.me.query(), staleTime: 60_000 });
}

/** The session, for pages that only render when signed in. */
export function useSignedIn(): Session {
  const { data } = useSession();
  if (!data) throw new Error("useSignedIn outside a signed-in page");
  return data;
}

/** After signing in, up or through an invite: show the new session at once, then load it in full. */
export async function startSession(qc: QueryClient, result: Omit<Session, "expiresAt">): Promise<void> {
  qc.setQueryData(sessionKey, { ...result, expiresAt: 0 });
  await qc.invalidateQueries({ queryKey: sessionKey });
}

/**
 * Tessera's own staff: an admin of the platform company, whose session the
 * worker treats as a platform admin (src/members/caller.ts, sessionScope).
 * Only what the admin shows depends on this; the worker checks every call.
 */
export function isPlatformAdmin(session: Session): boolean {
  return session.company.id === "platform" && session.member.role === "admin";
}
