import { createTesseraClient, errorCode } from "./index";

export interface Person {
  email: string;
  name: string;
  password: string;
  role?: "admin" | "member";
}

/**
 * Gives a company (known by a company admin key, such as the one
 * `companies.signUp` returns) a person who can sign in to the admin: invites
 * the e-mail with the key, then accepts the invitation with
 * the password. For scripts such as the demo seed; in the admin, people accept
 * their own invitations. An e-mail that already has an account is left as is.
 */
export async function addMember(url: string, apiKey: string, person: Person, fetchImpl?: typeof fetch): Promise<"added" | "exists"> {
  const withKey = createTesseraClient(url, { apiKey, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
  // Accepting starts a browser session, which asks for the CSRF header (src/members/csrf.ts).
  const asBrowser = createTesseraClient(url, { headers: { "x-tessera-csrf": "1" }, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
  try {
    const invitation = await withKey.members.invite.mutate({ email: person.email, role: person.role ?? "admin" });
    await asBrowser.members.acceptInvite.mutate({ token: invitation.token, name: person.name, password: person.password });
    return "added";
  } catch (error) {
    if (errorCode(error) === "CONFLICT") return "exists";
    throw error;
  }
}
