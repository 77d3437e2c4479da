/** An index over `data`: columns `c_<n>` in order, each ascending or descending. */
export type IndexDef = { columns: { column: string; dir: "asc" | "desc" }[] };

const COLUMN = /^c_(\d{1,3})$/;

/** The index's name says its columns (`by_1_4d`: c_1, then c_4 descending), so the same definition is never built twice. */
export function indexName(def: IndexDef): string {
  return `by_${def.columns.map((c) => `${COLUMN.exec(c.column)![1]}${c.dir === "desc" ? "d" : ""}`).join("_")}`;
}

/** The key (see `keyOf`) of an index this module or the upload made, from its name. */
function keyOfName(name: string): string | null {
  const upload = /^data_(c_\d{1,3})$/.exec(name);
  if (upload) return upload[1]!;
  if (!/^by_\d{1,3}d?(_\d{1,3}d?)*$/.test(name)) return null;
  return keyOf(
    name
      .slice(3)
      .split("_")
      .map((part) => ({ column: `c_${part.replace(/d$/, "")}`, dir: part.endsWith("d") ? ("desc" as const) : ("asc" as const) })),
  );
}

/**
 * Creates each index unless one already starts with the same columns in the
 * same relative directions (an index serves every prefix of itself, and its
 * reverse scan). Runs inside the dataset object; may take a few seconds on
 * millions of rows, once, when a seller saves a spec.
 */
export function createIndexes(sql: SqlStorage, defs: IndexDef[]): string[] {
  const existing = sql
    .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'data'")
    .toArray()
    .map((r) => r.name);
  const created: string[] = [];
  for (const def of defs) {
    if (def.columns.length === 0 || def.columns.some((c) => !COLUMN.test(c.column))) throw new Error("bad index definition");
    const name = indexName(def);
    const wanted = keyOf(def.columns);
    const covered = existing.some((n) => {
      const have = keyOfName(n);
      return have !== null && (have === wanted || have.startsWith(`${wanted},`));
    });
    if (covered) continue;
    const list = def.columns.map((c) => `${c.column}${c.dir === "desc" ? " DESC" : ""}`).join(", ");
    sql.exec(`CREATE INDEX IF NOT EXISTS ${name} ON data (${list})`);
    existing.push(name);
    created.push(name);
  }
  return created;
}

/** Directions relative to the first column, so an index and its reverse compare equal. */
function keyOf(columns: IndexDef["columns"]): string {
  const flip = columns[0]?.dir === "desc";
  return columns.map((c) => `${c.column}${(c.dir === "desc") !== flip ? "d" : ""}`).join(",");
}
