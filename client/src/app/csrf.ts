/** The header the worker asks of every request made with the session cookie (src/members/csrf.ts). */
export const CSRF = { header: "x-tessera-csrf", value: "1" } as const;
