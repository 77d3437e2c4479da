// Secrets are not in wrangler.toml, so `wrangler types` cannot see them.
declare namespace Cloudflare {
  interface Env {
    /** Bootstraps platform admins: whoever holds it can mint an admin key. */
    ADMIN_TOKEN: string;
    STRIPE_SECRET_KEY: string;
    STRIPE_WEBHOOK_SECRET: string;
    /** Keys the check digits every API key carries (src/auth/keys.ts), so junk keys are refused without a lookup. */
    KEY_SECRET: string;
    /** Seals the secrets kept in D1 (src/crypto.ts): {"current":"<key id>","keys":{"<key id>":"<base64 of 32 bytes>"}}. */
    SECRETS_KEYS: string;
    /** HMAC key of endpoint page cursors (src/data/query/cursor.ts). */
    CURSOR_SECRET: string;
    /** "1" lets HTTP origins on this machine be plain http (local dev and tests only). */
    ALLOW_INSECURE_ORIGINS?: string;
    /** "1" turns on the /__bench routes (npm run bench only). */
    BENCH?: string;
    /** "1" lets tests move a wallet's clock (Wallet.advanceClock). Never set in production. */
    ALLOW_TEST_CLOCK?: string;
  }
}
