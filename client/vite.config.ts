import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/**
 * The admin: built into client/dist and served by the Worker as static assets
 * (wrangler.toml [assets]). `npm run build:client` builds it. In development
 * the Worker (wrangler dev) serves the last build; `npx vite --config
 * client/vite.config.ts` serves a live one that proxies the API to it.
 */
const worker = process.env.TESSERA_URL ?? "http://127.0.0.1:8787";

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false },
  server: {
    proxy: Object.fromEntries(["/trpc", "/v1", "/companies", "/webhooks", "/health"].map((p) => [p, worker])),
  },
});
