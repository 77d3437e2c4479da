import { useEffect, useState, type FormEvent } from "react";
import { api } from "../../api";
import { Price } from "../../components/amounts";
import { Field, splitList } from "../../components/forms";
import { Pager, usePaged } from "../../components/paging";
import { Badge, Card, Empty, ErrorNote, Loading, Page } from "../../components/page";
import { productKind } from "../../format";
import { getRouteApi, Link } from "@tanstack/react-router";

const PAGE = 20;

/** Search and filters live in the URL, so a search can be shared and the back button works. */
const route = getRouteApi("/app/marketplace");

export function Marketplace() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const q = {
    query: search.q ?? "",
    type: search.type ?? "",
    kind: search.kind ?? "",
    category: search.category ?? "",
    tags: search.tags ?? "",
    min: search.min === undefined ? "" : String(search.min),
    max: search.max === undefined ? "" : String(search.max),
  };
  const [draft, setDraft] = useState(q);
  // Back and forward change the search under the form: show what is searched.
  const shown = JSON.stringify(q);
  useEffect(() => setDraft(JSON.parse(shown) as typeof q), [shown]);
  const input = {
    ...(q.query ? { query: q.query } : {}),
    ...(q.type === "asset" || q.type === "endpoint" ? { type: q.type as "asset" | "endpoint" } : {}),
    ...(q.kind === "calculation" || q.kind === "visualization" ? { assetKind: q.kind as "calculation" | "visualization" } : {}),
    ...(q.category ? { category: q.category } : {}),
    ...(q.tags ? { tags: splitList(q.tags) } : {}),
    ...(q.min !== "" && Number.isFinite(Number(q.min)) ? { minPriceUsd: Number(q.min) } : {}),
    ...(q.max !== "" && Number.isFinite(Number(q.max)) ? { maxPriceUsd: Number(q.max) } : {}),
    limit: PAGE,
  };
  const { query: results, pager } = usePaged(["marketplace.search", input], (cursor) => api.marketplace.search.query({ ...input, cursor }), { inUrl: true });
  const price = (text: string) => (text.trim() !== "" && Number.isFinite(Number(text)) && Number(text) >= 0 ? Number(text) : undefined);
  const go = (next: typeof q) =>
    void navigate({
      search: {
        q: next.query.trim() || undefined,
        type: next.type === "asset" || next.type === "endpoint" ? next.type : undefined,
        kind: next.kind === "calculation" || next.kind === "visualization" ? next.kind : undefined,
        category: next.category.trim() || undefined,
        tags: next.tags.trim() || undefined,
        min: price(next.min),
        max: price(next.max),
      },
    });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    go(draft);
  };
  const hits = results.data?.items ?? [];
  const filtered = Boolean(q.query || q.type || q.kind || q.category || q.tags || q.min || q.max);

  return (
    <Page title="Marketplace" lead="Data products from verified sellers. Assets answer one question; endpoints give you rows through your own key.">
      <Card>
        <form className="search" onSubmit={submit} role="search">
          <input
            type="search"
            aria-label="Search the marketplace"
            placeholder="Search names, descriptions, tags and top questions"
            value={draft.query}
            onChange={(e) => setDraft({ ...draft, query: e.target.value })}
          />
          <button className="button" type="submit">
            Search
          </button>
        </form>
        <details className="filter-box" open={filtered && !q.query}>
          <summary>Filters</summary>
          <div className="filters">
            <Field label="Type">
              <select value={draft.type} onChange={(e) => setDraft({ ...draft, type: e.target.value, kind: e.target.value === "endpoint" ? "" : draft.kind })}>
                <option value="">Any</option>
                <option value="asset">Assets</option>
                <option value="endpoint">Endpoints</option>
              </select>
            </Field>
            <Field label="Asset kind">
              <select value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.target.value })} disabled={draft.type === "endpoint"}>
                <option value="">Any</option>
                <option value="calculation">Calculations</option>
                <option value="visualization">Visualizations</option>
              </select>
            </Field>
            <Field label="Category">
              <input value={draft.category} onChange={(e) => setDraft({ ...draft, category: e.target.value })} />
            </Field>
            <Field label="Tags">
              <input value={draft.tags} onChange={(e) => setDraft({ ...draft, tags: e.target.value })} placeholder="comma-separated" />
            </Field>
            <Field label="Min price (USD)">
              <input inputMode="decimal" value={draft.min} onChange={(e) => setDraft({ ...draft, min: e.target.value })} />
            </Field>
            <Field label="Max price (USD)">
              <input inputMode="decimal" value={draft.max} onChange={(e) => setDraft({ ...draft, max: e.target.value })} />
            </Field>
          </div>
          <div className="actions">
            <button className="button" type="button" onClick={() => go(draft)}>
              Apply filters
            </button>
            {filtered ? (
              <button className="button secondary" type="button" onClick={() => { const empty = { query: "", type: "", kind: "", category: "", tags: "", min: "", max: "" }; setDraft(empty); go(empty); }}>
                Clear
              </button>
            ) : null}
          </div>
        </details>
      </Card>
      <ErrorNote error={results.error} />
      {results.isPending ? (
        <Loading what="Searching" />
      ) : hits.length === 0 ? (
        <Card>
          <Empty title={filtered ? "Nothing matches" : "The marketplace is empty"}>
            {filtered ? "Try fewer words or clear the filters." : "No seller has listed a product yet. Check back soon."}
          </Empty>
        </Card>
      ) : (
        <ul className="cards" aria-label="Results">
          {hits.map((p) => (
            <li key={p.id} className="card listing-card">
              <div className="row-between">
                <Badge tone="info">{productKind(p)}</Badge>
                <Price usd={p.priceUsd} credits={p.priceCredits} />
              </div>
              <h3>
                <Link to="/app/marketplace/$id" params={{ id: p.id }}>{p.name}</Link>
              </h3>
              <p className="muted clamp">{p.description || "No description."}</p>
              <div className="chips">
                {p.category ? <span className="chip">{p.category}</span> : null}
                {p.tags.map((t) => (
                  <span key={t} className="chip muted">
                    #{t}
                  </span>
                ))}
              </div>
              <p className="small muted">
                {p.rating.count ? `★ ${p.rating.average!.toFixed(1)} (${p.rating.count}) · ` : "No ratings yet · "}
                by {p.seller.name}
                {p.sellerBadges.map((b) => ` · ${b.name}`).join("")} · per {p.type === "asset" ? "execution" : "request"}
              </p>
            </li>
          ))}
        </ul>
      )}
      <Pager pager={pager} label="Results" />
    </Page>
  );
}
