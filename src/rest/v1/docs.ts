import { isErrorCode } from "../../errors";
import { isRef, type OpenApiDocument, type Operation, type Parameter, type Ref, type Response, type Schema } from "./openapi-types";

/**
 * Renders the OpenAPI document as one self-contained HTML page: no script,
 * no external stylesheet or font, so it works offline and under a strict CSP.
 */
export function renderDocs(doc: OpenApiDocument): string {
  const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ path, method, op: op as Operation })),
  );
  const tags = doc.tags?.map((t) => t.name) ?? [];
  const byTag = tags.map((tag) => ({ tag, ops: operations.filter((o) => o.op.tags?.[0] === tag) })).filter((g) => g.ops.length);

  const nav = byTag
    .map(
      (g) =>
        `<h3>${esc(g.tag)}</h3><ul>${g.ops
          .map(
            (o) =>
              `<li><a href="#${anchor(o.op.operationId)}"><span class="m m-${o.method}">${o.method.toUpperCase()}</span> ${esc(o.op.summary)}<span class="navpath">${esc(o.path).replaceAll("/", "/<wbr>")}</span></a></li>`,
          )
          .join("")}</ul>`,
    )
    .join("");
  const schemaNav = Object.keys(doc.components.schemas)
    .map((name) => `<li><a href="#${schemaAnchor(name)}">${esc(name)}</a></li>`)
    .join("");

  const auth = Object.entries(doc.components.securitySchemes ?? {})
    .map(([name, s]) => `<dt><code>${esc(s.name)}</code> — ${esc(name)}</dt><dd>${esc(s.description ?? "")}</dd>`)
    .join("");

  const body = byTag
    .map(
      (g) =>
        `<h2 class="tag">${esc(g.tag)}</h2><p class="tagdesc">${esc(doc.tags?.find((t) => t.name === g.tag)?.description ?? "")}</p>` +
        g.ops.map((o) => renderOperation(doc, o.path, o.method, o.op)).join(""),
    )
    .join("");

  const schemas = Object.entries(doc.components.schemas)
    .map(([name, s]) => `<section class="schema" id="${schemaAnchor(name)}"><h3>${esc(name)}</h3>${renderSchemaBody(s)}</section>`)
    .join("");

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.info.title)} — reference</title>
<style>${css}</style>
</head>
<body>
<nav class="side">
  <a class="brand" href="#top">${esc(doc.info.title)}</a>
  <p class="ver">v${esc(doc.info.version)} · <a href="/v1/openapi.json">openapi.json</a></p>
  ${nav}
  <h3>Schemas</h3><ul class="schemas">${schemaNav}</ul>
</nav>
<main id="top">
  <h1>${esc(doc.info.title)}</h1>
  <p class="lead">${esc(doc.info.description ?? "")}</p>
  <p>Base URL: <code>${esc(doc.servers?.[0]?.url ?? "")}</code></p>
  <h2>Authentication</h2>
  <dl class="auth">${auth}</dl>
  ${body}
  <h2 class="tag">Schemas</h2>
  ${schemas}
</main>
</body>
</html>`;
}

function renderOperation(doc: OpenApiDocument, path: string, method: string, op: Operation): string {
  const params = (op.parameters ?? []).map((p) => resolve<Parameter>(doc, p));
  const security = op.security?.flatMap((s) => Object.keys(s)) ?? [];
  const paramRows = params
    .map(
      (p) => `<tr>
  <td><code>${esc(p.name)}</code>${p.required ? ' <span class="req">required</span>' : ""}</td>
  <td>${esc(p.in)}</td>
  <td>${typeOf(p.schema)}${defaultOf(p.schema)}</td>
  <td>${prose(p.description ?? "")}${p.example !== undefined ? ` <span class="ex">e.g. <code>${esc(String(p.example))}</code></span>` : ""}</td>
</tr>`,
    )
    .join("");
  const request = op.requestBody
    ? `<h4>Request body${op.requestBody.required ? "" : " <span class=\"opt\">optional</span>"}</h4>
${op.requestBody.description ? `<p>${esc(op.requestBody.description)}</p>` : ""}
${Object.entries(op.requestBody.content)
  .map(([type, media]) => `<p><code>${esc(type)}</code> ${typeOf(media.schema)}</p>${renderInline(media.schema)}${example(media.example)}`)
  .join("")}`
    : "";
  const responses = Object.entries(op.responses)
    .map(([status, r]) => {
      const res = resolve<Response>(doc, r);
      const media = res.content?.["application/json"];
      return `<tr class="s${status[0]}">
  <td><span class="status">${esc(status)}</span></td>
  <td>${prose(res.description)}${media?.example !== undefined ? example(media.example, status.startsWith("2") ? "Example" : "Example body", status.startsWith("2")) : ""}</td>
  <td>${media ? bodyTypeOf(media.schema) : ""}</td>
</tr>`;
    })
    .join("");
  return `<section class="op" id="${anchor(op.operationId)}">
<h3><span class="m m-${method}">${method.toUpperCase()}</span> <code class="path">${esc(path)}</code></h3>
<p class="summary">${esc(op.summary)}</p>
${op.description ? `<p>${prose(op.description)}</p>` : ""}
<p class="auth-line">${security.length ? `Authentication: ${security.map((s) => `<code>x-api-key</code> (${esc(s)})`).join(" or ")}` : "No API key."}</p>
${op["x-example-curl"] ? `<pre class="curl"><code>${esc(curlLines(op["x-example-curl"]))}</code></pre>` : ""}
${params.length ? `<h4>Parameters</h4><table class="params"><colgroup><col class="c-field"><col class="c-in"><col class="c-type"><col></colgroup><thead><tr><th>Name</th><th>In</th><th>Type</th><th>Description</th></tr></thead><tbody>${paramRows}</tbody></table>` : ""}
${request}
<h4>Responses</h4>
<table class="responses"><colgroup><col class="c-status"><col><col class="c-body"></colgroup><thead><tr><th>Status</th><th>Meaning</th><th>Body</th></tr></thead><tbody>${responses}</tbody></table>
</section>`;
}

/** An inline (unnamed) object schema gets its properties listed where it is used. */
function renderInline(schema: Schema | Ref): string {
  return isRef(schema) || !schema.properties ? "" : renderSchemaBody(schema);
}

function renderSchemaBody(schema: Schema): string {
  const description = schema.description ? `<p>${prose(schema.description)}</p>` : "";
  if (!schema.properties) return `${description}<p>${typeOf(schema)}</p>`;
  return `${description}<table class="props"><colgroup><col class="c-field"><col class="c-type"><col></colgroup>
<thead><tr><th>Field</th><th>Type</th><th>Description</th></tr></thead><tbody>${propRows(schema, "")}</tbody></table>`;
}

/** One row per field; fields of inline objects follow as `parent.child` (`parent[].child` in arrays). */
function propRows(schema: Schema, prefix: string): string {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {})
    .map(([name, prop]) => {
      const path = `${prefix}${name}`;
      const desc = isRef(prop) ? "" : (prop.description ?? "");
      const row = `<tr><td>${prefix ? `<span class="parent">${esc(prefix)}</span>` : ""}<code>${esc(name)}</code>${
        required.has(name) ? "" : ' <span class="opt">optional</span>'
      }</td><td>${typeOf(prop)}</td><td>${prose(desc)}</td></tr>`;
      if (isRef(prop)) return row;
      if (prop.properties) return row + propRows(prop, `${path}.`);
      if (prop.items && !isRef(prop.items) && prop.items.properties) return row + propRows(prop.items, `${path}[].`);
      return row;
    })
    .join("");
}

function typeOf(schema: Schema | Ref): string {
  if (isRef(schema)) {
    const name = schema.$ref.split("/").pop()!;
    return `<a class="type" href="#${schemaAnchor(name)}">${esc(name)}</a>`;
  }
  if (schema.const !== undefined) return `<code>${esc(JSON.stringify(schema.const))}</code>`;
  if (schema.oneOf) return schema.oneOf.map(typeOf).join(" | ");
  if (schema.enum) return `<span class="type">${schema.enum.map((v) => esc(String(v))).join(" | ")}</span>`;
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  return types
    .map((t) => {
      if (t === "array" && !Array.isArray(schema.type) && schema.items) return `array of ${typeOf(schema.items)}`;
      if (t === "object" && schema.additionalProperties && typeof schema.additionalProperties === "object") {
        return `map of ${typeOf(schema.additionalProperties)}`;
      }
      return `<span class="type">${esc(t)}</span>`;
    })
    .join(" | ");
}

/** A response body's type; a small inline envelope is spelled out (`{ data: Dataset }`). */
function bodyTypeOf(schema: Schema | Ref): string {
  if (isRef(schema) || !schema.properties || Object.keys(schema.properties).length > 2) return typeOf(schema);
  return `{ ${Object.entries(schema.properties).map(([k, v]) => `${esc(k)}: ${typeOf(v)}`).join(", ")} }`;
}

function defaultOf(schema: Schema | Ref): string {
  if (isRef(schema)) return "";
  const bits = [
    schema.minimum !== undefined && schema.maximum !== undefined ? `${schema.minimum} to ${schema.maximum}` : "",
    schema.default !== undefined ? `default ${JSON.stringify(schema.default)}` : "",
  ].filter(Boolean);
  return bits.length ? `<br><span class="ex">${esc(bits.join(", "))}</span>` : "";
}

function example(value: unknown, label = "Example", open = false): string {
  if (value === undefined) return "";
  const text = typeof value === "string" ? value : JSON.stringify(value, null, 2);
  return `<details${open ? " open" : ""}><summary>${esc(label)}</summary><pre><code>${esc(text)}</code></pre></details>`;
}

/** Escaped text with error codes set as code, so they stand out and can be searched for. */
function prose(text: string): string {
  return esc(text).replace(/\b[A-Z][A-Z_]{3,}[A-Z]\b/g, (word) => (isErrorCode(word) ? `<code>${word}</code>` : word));
}

/** A long curl command broken before each option, as people paste it into a shell. */
function curlLines(command: string): string {
  return command.replace(/ (-H|-d|-X|--data-binary) /g, (_m, flag: string) => (flag === "-X" ? ` ${flag} ` : ` \\\n  ${flag} `));
}

function resolve<T>(doc: OpenApiDocument, item: T | Ref): T {
  if (!isRef(item as object)) return item as T;
  const [, , kind, name] = (item as Ref).$ref.split("/");
  const found = (doc.components as Record<string, Record<string, unknown> | undefined>)[kind!]?.[name!];
  if (!found) throw new Error(`unresolved ${(item as Ref).$ref}`);
  return found as T;
}

const anchor = (id: string) => `op-${id}`;
const schemaAnchor = (name: string) => `schema-${name}`;

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page's one stylesheet, inline: the docs' CSP allows exactly it, by hash. */
export const css = `
:root { --fg:#1d2330; --muted:#5b6475; --line:#e3e6ec; --bg:#fff; --side:#f6f7f9; --code:#f2f4f7; --accent:#2457d6; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; color:var(--fg); background:var(--bg); display:flex; }
a { color:var(--accent); text-decoration:none; } a:hover { text-decoration:underline; }
code, pre { font-family: ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; font-size:13px; }
code { background:var(--code); padding:1px 5px; border-radius:4px; }
pre { background:#0f1623; color:#e6edf7; padding:12px 14px; border-radius:8px; overflow-x:auto; margin:8px 0; }
pre code { background:none; padding:0; color:inherit; }
nav.side { position:sticky; top:0; height:100vh; overflow-y:auto; width:300px; flex:none; background:var(--side); border-right:1px solid var(--line); padding:20px 16px; font-size:14px; }
nav.side .brand { font-weight:700; font-size:17px; color:var(--fg); }
nav.side .ver { color:var(--muted); margin:4px 0 12px; font-size:13px; }
nav.side h3 { font-size:12px; text-transform:uppercase; letter-spacing:.06em; color:var(--muted); margin:18px 0 6px; }
nav.side ul { list-style:none; margin:0; padding:0; }
nav.side li { margin:6px 0; } nav.side li a { color:var(--fg); display:block; }
nav.side .navpath { display:block; margin-left:46px; color:var(--muted); font:12px/1.4 ui-monospace,Menlo,monospace; }
nav.side ul.schemas { columns:2; font-size:13px; }
main { flex:1; min-width:0; max-width:1000px; padding:28px 44px 80px; }
h1 { margin:0 0 8px; font-size:28px; } h2 { margin:36px 0 8px; font-size:21px; }
h2.tag { border-bottom:1px solid var(--line); padding-bottom:6px; }
.tagdesc, .lead { color:var(--muted); }
.op { border:1px solid var(--line); border-radius:10px; padding:16px 20px; margin:18px 0; }
.op h3 { margin:0 0 4px; font-size:17px; display:flex; align-items:center; gap:10px; }
.op h3 code.path { background:none; padding:0; font-size:16px; font-weight:600; }
.summary { font-weight:600; margin:2px 0 6px; }
.auth-line { color:var(--muted); font-size:14px; }
h4 { margin:18px 0 6px; font-size:14px; text-transform:uppercase; letter-spacing:.05em; color:var(--muted); }
.m { display:inline-block; min-width:46px; text-align:center; font:700 11px/1 ui-monospace,Menlo,monospace; padding:4px 6px; border-radius:4px; color:#fff; }
.m-get { background:#1a7f4b; } .m-post { background:#2457d6; } .m-put, .m-patch { background:#9a6700; } .m-delete { background:#c0362c; }
nav.side .m { min-width:38px; font-size:10px; padding:3px 4px; margin-right:4px; }
table { width:100%; border-collapse:collapse; font-size:14px; margin:4px 0 8px; }
th { text-align:left; font-weight:600; color:var(--muted); font-size:12px; text-transform:uppercase; letter-spacing:.04em; border-bottom:1px solid var(--line); padding:6px 8px; }
td { border-bottom:1px solid var(--line); padding:7px 8px; vertical-align:top; }
table.props, table.params, table.responses { table-layout:fixed; }
col.c-field { width:27%; } col.c-type { width:20%; } col.c-in { width:9%; } col.c-status { width:9%; } col.c-body { width:19%; }
td { overflow-wrap:anywhere; } td:first-child { white-space:normal; }
.parent { color:var(--muted); font:12px ui-monospace,Menlo,monospace; }
.type { color:#7a3e9d; font-family:ui-monospace,Menlo,monospace; font-size:13px; }
.req { color:#c0362c; font-size:12px; } .opt { color:var(--muted); font-size:12px; font-weight:400; text-transform:none; letter-spacing:0; }
.ex { color:var(--muted); font-size:13px; }
.status { font-weight:700; font-family:ui-monospace,Menlo,monospace; }
tr.s2 .status { color:#1a7f4b; } tr.s4 .status { color:#b35c00; } tr.s5 .status { color:#c0362c; }
details { margin-top:6px; } summary { cursor:pointer; color:var(--accent); font-size:13px; }
dl.auth dt { font-weight:600; margin-top:8px; } dl.auth dd { margin:2px 0 0 0; color:var(--muted); }
.schema { border-top:1px solid var(--line); padding:8px 0 4px; }
.schema h3 { font-size:16px; margin:10px 0 4px; }
@media (max-width: 900px) { body { display:block; } nav.side { position:static; width:auto; height:auto; } main { padding:20px; } }
@media (max-width: 700px) {
  main { padding:14px; } .op { padding:12px; }
  table.props, table.params, table.responses { table-layout:auto; display:block; overflow-x:auto; }
  td { overflow-wrap:normal; min-width:90px; } td:last-child { min-width:220px; }
}
`;
