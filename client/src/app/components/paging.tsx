import { keepPreviousData, useQuery, type QueryKey } from "@tanstack/react-query";
import { useNavigate, useRouterState, useSearch } from "@tanstack/react-router";
import { useEffect, useState } from "react";

declare module "@tanstack/history" {
  interface HistoryState {
    /** The cursors of the pages before this one (null for the first), for "Previous page". */
    trail?: (string | null)[];
  }
}

/**
 * The admin's side of the one paging shape: every list procedure answers
 * `{ items, nextCursor }`, and the page after is asked for with that cursor.
 * The cursors walked so far are kept, so "Previous page" goes back without
 * the server knowing about pages at all. A change of filters (the key)
 * starts again at page 1.
 *
 * With `inUrl`, the page is the route's `cursor` and `page` search
 * parameters (routes.tsx `paging`), so reloading or sharing the address
 * shows the same page, and back and forward walk the pages. The cursors
 * before it ride in the history entry's state; a shared address has none,
 * and its "Previous page" goes to the first. Its filters' setters start
 * again at page 1 by dropping both (`firstPage`).
 */
export interface Paged<T> {
  items: T[];
  nextCursor: string | null;
}

export function usePaged<T>(
  key: QueryKey,
  fetch: (cursor: string | undefined) => Promise<Paged<T>>,
  opts: { refetchInterval?: number | false; enabled?: boolean; inUrl?: boolean } = {},
) {
  const { inUrl, ...queryOpts } = opts;
  const inMemory = useMemoryTrail(key);
  const fromUrl = useUrlTrail();
  const { cursor, page, go } = inUrl ? fromUrl : inMemory;
  const query = useQuery({ queryKey: [...key, cursor ?? null], queryFn: () => fetch(cursor), placeholderData: keepPreviousData, ...queryOpts });
  const nextCursor = query.data?.nextCursor ?? null;
  const pager: PagerState = {
    page,
    hasNext: nextCursor !== null,
    next: () => nextCursor && go("next", nextCursor),
    previous: () => page > 1 && go("previous"),
    first: () => go("first"),
  };
  return { query, pager };
}

/** Search parameters that put a URL-paged list back on its first page. */
export const firstPage = { cursor: undefined, page: undefined };

type Go = (to: "next" | "previous" | "first", cursor?: string) => void;

function useMemoryTrail(key: QueryKey): { cursor: string | undefined; page: number; go: Go } {
  const [trail, setTrail] = useState<(string | undefined)[]>([undefined]);
  const keyText = JSON.stringify(key);
  useEffect(() => setTrail([undefined]), [keyText]);
  const go: Go = (to, cursor) => setTrail((t) => (to === "next" ? [...t, cursor] : to === "previous" ? t.slice(0, -1) : [undefined]));
  return { cursor: trail.at(-1), page: trail.length, go };
}

function useUrlTrail(): { cursor: string | undefined; page: number; go: Go } {
  const search: { cursor?: string; page?: number } = useSearch({ strict: false });
  const trail = useRouterState({ select: (s) => s.location.state.trail });
  const navigate = useNavigate();
  const cursor = search.cursor;
  const page = cursor ? (search.page ?? 2) : 1;
  const go: Go = (to, nextCursor) => {
    const before = trail ?? [];
    const target =
      to === "next"
        ? { cursor: nextCursor, page: page + 1, trail: [...before, cursor ?? null] }
        : to === "previous" && before.length
          ? { cursor: before.at(-1) ?? undefined, page: page - 1, trail: before.slice(0, -1) }
          : { cursor: undefined, page: 1, trail: [] };
    void navigate({
      to: ".",
      search: (prev: Record<string, unknown>) => ({ ...prev, cursor: target.cursor, page: target.cursor ? target.page : undefined }),
      state: (prev: object) => ({ ...prev, trail: target.trail }),
    } as never);
  };
  return { cursor, page, go };
}

export interface PagerState {
  /** 1 for the first page. */
  page: number;
  hasNext: boolean;
  next: () => void;
  previous: () => void;
  first: () => void;
}

/** "Previous page / Page n / Next page", shown only when there is more than one page. */
export function Pager({ pager, label }: { pager: PagerState; label: string }) {
  if (pager.page === 1 && !pager.hasNext) return null;
  return (
    <nav className="pager" aria-label={`${label}: pages`}>
      <button type="button" className="button secondary" onClick={pager.previous} disabled={pager.page === 1}>
        Previous page
      </button>
      <span className="muted small">Page {pager.page}</span>
      <button type="button" className="button secondary" onClick={pager.next} disabled={!pager.hasNext}>
        Next page
      </button>
    </nav>
  );
}
