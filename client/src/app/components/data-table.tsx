import {
  createColumnHelper,
  createSortedRowModel,
  rowSortingFeature,
  sortFn_alphanumeric,
  sortFn_basic,
  sortFn_text,
  tableFeatures,
  useTable,
  type ColumnDef,
  type RowData,
} from "@tanstack/react-table";
import type { ReactNode } from "react";
import { Empty, ErrorNote, Loading } from "./page";
import { Pager, type PagerState } from "./paging";

/**
 * Every table of the admin: TanStack Table for its columns and sorting, the
 * server's cursor paging for its rows (each list procedure answers
 * `{ items, nextCursor }`; usePaged walks the pages). Filters are the list's
 * own input, so they apply on the server to every page, not to the rows
 * shown. Sorting orders the page shown.
 */
export const features = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric, basic: sortFn_basic, text: sortFn_text },
});

export type Features = typeof features;

/** Columns for rows of type T. */
export function columnsFor<T extends RowData>() {
  return createColumnHelper<Features, T>();
}

export function DataTable<T extends RowData>({
  label,
  columns,
  list,
  empty,
  rowKey,
  className,
}: {
  /** What the table holds, for screen readers (its caption) and the scroll region. */
  label: string;
  columns: ColumnDef<Features, T, any>[];
  /** A paged list (usePaged) or rows at hand. */
  list: { query: { data: { items: T[] } | undefined; isPending: boolean; error: unknown }; pager: PagerState } | { rows: T[] };
  empty: ReactNode;
  rowKey: (row: T) => string;
  className?: string;
}) {
  const paged = "pager" in list ? list : null;
  const rows = paged ? (paged.query.data?.items ?? NO_ROWS) : (list as { rows: T[] }).rows;
  const table = useTable({ features, columns, data: rows, getRowId: (row) => rowKey(row) });
  if (paged?.query.error) return <ErrorNote error={paged.query.error} />;
  if (paged?.query.isPending) return <Loading what={`Loading ${label.toLowerCase()}`} />;
  if (rows.length === 0 && (!paged || paged.pager.page === 1)) return <>{empty}</>;
  return (
    <>
      {/* A scrollable region is focusable, so a keyboard can scroll it (axe: scrollable-region-focusable). */}
      <div className="table-wrap" tabIndex={0} role="region" aria-label={label}>
        <table className={`cards-on-phone ${className ?? ""}`}>
          <caption className="sr-only">{label}</caption>
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  const meta = header.column.columnDef.meta as { align?: "right" } | undefined;
                  return (
                    <th
                      key={header.id}
                      className={meta?.align === "right" ? "right" : undefined}
                      aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                    >
                      {header.isPlaceholder ? null : header.column.getCanSort() ? (
                        <button type="button" className="sort" onClick={header.column.getToggleSortingHandler()}>
                          <table.FlexRender header={header} />
                          <span aria-hidden="true" className="sort-mark">
                            {sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}
                          </span>
                        </button>
                      ) : (
                        <table.FlexRender header={header} />
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id}>
                {row.getAllCells().map((cell) => {
                  const meta = cell.column.columnDef.meta as { align?: "right"; label?: string } | undefined;
                  return (
                    <td key={cell.id} className={meta?.align === "right" ? "right" : undefined} data-label={typeof cell.column.columnDef.header === "string" ? cell.column.columnDef.header : meta?.label}>
                      <table.FlexRender cell={cell} />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {paged ? <Pager pager={paged.pager} label={label} /> : null}
    </>
  );
}

const NO_ROWS: never[] = [];

/** A table's empty state inside a card. */
export function NoRows({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <Empty title={title} action={action}>
      {children}
    </Empty>
  );
}
