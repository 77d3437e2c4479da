import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
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
  plugins: [react(), apiReference(), initialSize()],
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

/**
 * Prints what the first visit downloads: the entry chunk, the chunks it
 * imports statically, and the CSS (each page is a chunk of its own, loaded
 * when opened).
 */
function initialSize(): Plugin {
  return {
    name: "tessera-initial-size",
    apply: "build",
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle);
      const entry = chunks.find((c) => c.type === "chunk" && c.isEntry);
      if (!entry || entry.type !== "chunk") return;
      const seen = new Set<string>();
      const walk = (name: string) => {
        if (seen.has(name)) return;
        seen.add(name);
        const chunk = bundle[name];
        if (chunk?.type === "chunk") chunk.imports.forEach(walk);
      };
      walk(entry.fileName);
      const files = [...seen, ...chunks.filter((c) => c.fileName.endsWith(".css")).map((c) => c.fileName)];
      let raw = 0;
      let gzip = 0;
      for (const name of files) {
        const item = bundle[name]!;
        const bytes = Buffer.from(item.type === "chunk" ? item.code : item.source);
        raw += bytes.length;
        gzip += gzipSync(bytes).length;
      }
      const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
      const pages = chunks.filter((c) => c.type === "chunk" && !seen.has(c.fileName)).length;
      console.log(`\nadmin initial load: ${kb(raw)} (${kb(gzip)} gzip) in ${files.length} files; ${pages} more chunks load with their pages`);
    },
  };
}
