/**
 * The last step of the query pipeline for endpoints, run inside the dataset's
 * object: one page of rows after a keyset position. Every identifier here
 * comes from the compiler (`c_<n>`, re-checked), every value is bound.
 */

export type SortKey = { column: string; dir: "asc" | "desc" };

/** A page of an endpoint as the compiler leaves it for the dataset object. */
export type PageQuery = {
  /** Output columns, `c_<n>`. */
  select: string[];
  /** The filters as one condition with `?` placeholders, or "" for none. */
  where: string;
  bindings: (string | number)[];
  /** The sort; the order always ends in `rowid`, in the direction of the first key (ascending with none). */
  order: SortKey[];
  /** The rowid of the last row of the previous page (from a verified cursor), or null for page 1. */
  after: number | null;
  limit: number;
};

export type PageResult = {
  rows: unknown[][];
  /** The rowid of the page's last row: the next cursor's position. */
  last: number | null;
  more: boolean;
};

const COLUMN = /^c_\d{1,3}$/;

/**
 * Runs a page as a keyset seek, never an OFFSET: the sort key of the row
 * at `after` is read by its rowid (a dataset never changes, so it is the
 * same row the cursor was made from), and the rows after it come from a few
 * "bands", each an index range: first the rows tied with it on every key
 * and past it by rowid, then those tied on all keys but the last and past it
 * on that one, and so on outwards. A page costs its own rows whatever its depth.
 *
 * NULLs sort first ascending and last descending (SQLite's rule, and what an
 * index scanned either way gives), so "after v" on a descending key is
 * `k < v`, then the NULLs; on an ascending key after NULL it is every value.
 */
export function runPage(sql: SqlStorage, q: PageQuery): PageResult {
  for (const c of [...q.select, ...q.order.map((k) => k.column)]) if (!COLUMN.test(c)) throw new Error(`bad column ${c}`);
  const tiebreak = q.order[0]?.dir ?? "asc";
  const orderBy = [...q.order.map((k) => `${k.column} ${k.dir === "desc" ? "DESC" : "ASC"}`), `rowid ${tiebreak === "desc" ? "DESC" : "ASC"}`].join(", ");
  const bands = q.after === null ? [{ sql: "", bindings: [] }] : seekBands(sql, q.order, q.after, tiebreak);
  const rows: unknown[][] = [];
  for (const band of bands) {
    const conditions = [q.where && `(${q.where})`, band.sql].filter(Boolean).join(" AND ");
    const statement = `SELECT rowid, ${q.select.join(", ")} FROM data${conditions ? ` WHERE ${conditions}` : ""} ORDER BY ${orderBy} LIMIT ?`;
    for (const row of sql.exec(statement, ...q.bindings, ...band.bindings, q.limit + 1 - rows.length).raw()) rows.push(row);
    if (rows.length > q.limit) break;
  }
  const page = rows.slice(0, q.limit);
  return { rows: page.map((r) => r.slice(1)), last: page.length ? (page[page.length - 1]![0] as number) : null, more: rows.length > q.limit };
}

type Band = { sql: string; bindings: (string | number)[] };

function seekBands(sql: SqlStorage, order: SortKey[], after: number, tiebreak: "asc" | "desc"): Band[] {
  let values: unknown[] = [];
  if (order.length) {
    const [found] = [...sql.exec(`SELECT ${order.map((k) => k.column).join(", ")} FROM data WHERE rowid = ?`, after).raw()];
    if (!found) throw new Error(`no row ${after} to page after`);
    values = found;
  }
  const tied = (n: number): Band => {
    const parts: string[] = [];
    const bindings: (string | number)[] = [];
    for (let i = 0; i < n; i++) {
      const v = values[i] as string | number | null;
      if (v === null) parts.push(`${order[i]!.column} IS NULL`);
      else {
        parts.push(`${order[i]!.column} = ?`);
        bindings.push(v);
      }
    }
    return { sql: parts.join(" AND "), bindings };
  };
  const and = (a: Band, sql: string, bindings: (string | number)[] = []): Band => ({
    sql: [a.sql, sql].filter(Boolean).join(" AND "),
    bindings: [...a.bindings, ...bindings],
  });

  const bands: Band[] = [and(tied(order.length), `rowid ${tiebreak === "desc" ? "<" : ">"} ?`, [after])];
  for (let i = order.length - 1; i >= 0; i--) {
    const { column, dir } = order[i]!;
    const v = values[i] as string | number | null;
    const prefix = tied(i);
    if (dir === "asc") bands.push(v === null ? and(prefix, `${column} IS NOT NULL`) : and(prefix, `${column} > ?`, [v]));
    else if (v !== null) bands.push(and(prefix, `${column} < ?`, [v]), and(prefix, `${column} IS NULL`));
  }
  return bands;
}
