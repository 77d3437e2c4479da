import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

/**
 * The admin: built into client/dist and served by the Worker as static assets
 * (wrangler.toml [assets]). `npm run build:client` builds it. In development
 * the Worker (wrangler dev) serves the last build; `npx vite --config
 * client/vite.config.ts` serves a live one that proxies the API to it.
 */
const worker = process.env.TESSERA_URL ?? "http://127.0.0.1:8787";

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react(), apiReference()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false },
  server: {
    proxy: Object.fromEntries(["/trpc", "/v1", "/companies", "/webhooks", "/health"].map((p) => [p, worker])),
  },
});

/**
 * The REST reference's script: Scalar's standalone bundle at `/docs/scalar.js`,
 * which `/v1/docs` (src/rest/docs.ts) loads from these static assets, not a CDN.
 */
function apiReference(): Plugin {
  return {
    name: "tessera-api-reference",
    apply: "build",
    generateBundle() {
      // The package's exports don't list the browser bundle: it sits beside the entry point.
      const bundle = new URL("./browser/standalone.js", import.meta.resolve("@scalar/api-reference"));
      this.emitFile({ type: "asset", fileName: "docs/scalar.js", source: readFileSync(fileURLToPath(bundle)) });
    },
  };
}
