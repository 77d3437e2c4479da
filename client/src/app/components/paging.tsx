import { keepPreviousData, useQuery, type QueryKey } from "@tanstack/react-query";
import { useEffect, useState } from "react";

/**
 * The admin's side of the one paging shape: every list procedure answers
 * `{ items, nextCursor }`, and the page after is asked for with that cursor.
 * The cursors walked so far are kept, so "Previous page" goes back without
 * the server knowing about pages at all. A change of filters (the key)
 * starts again at page 1.
 */
export interface Paged<T> {
  items: T[];
  nextCursor: string | null;
}

export function usePaged<T>(key: QueryKey, fetch: (cursor: string | undefined) => Promise<Paged<T>>, opts: { refetchInterval?: number | false; enabled?: boolean } = {}) {
  const [trail, setTrail] = useState<(string | undefined)[]>([undefined]);
  const keyText = JSON.stringify(key);
  useEffect(() => setTrail([undefined]), [keyText]);
  const cursor = trail.at(-1);
  const query = useQuery({ queryKey: [...key, cursor ?? null], queryFn: () => fetch(cursor), placeholderData: keepPreviousData, ...opts });
  const nextCursor = query.data?.nextCursor ?? null;
  const pager: PagerState = {
    page: trail.length,
    hasNext: nextCursor !== null,
    next: () => nextCursor && setTrail((t) => [...t, nextCursor]),
    previous: () => setTrail((t) => (t.length > 1 ? t.slice(0, -1) : t)),
    first: () => setTrail([undefined]),
  };
  return { query, pager };
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
