// Secrets are not in wrangler.toml, so `wrangler types` cannot see them.
declare namespace Cloudflare {
  interface Env {
    /** Bootstraps platform admins: whoever holds it can mint an admin key. */
    ADMIN_TOKEN: string;
    STRIPE_SECRET_KEY: string;
    STRIPE_WEBHOOK_SECRET: string;
    /** HMAC key of endpoint page cursors (src/data/query/cursor.ts). */
    CURSOR_SECRET: string;
    /** "1" lets HTTP origins on this machine be plain http (local dev and tests only). */
    ALLOW_INSECURE_ORIGINS?: string;
    /** "1" turns on the /__bench routes (npm run bench only). */
    BENCH?: string;
  }
}
