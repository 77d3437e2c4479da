import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { api, errorCode, type Outputs } from "../../api";
import { Credits, Price, Stat } from "../../components/amounts";
import { CodeLine } from "../../components/forms";
import { cleanParams, curlLine, ParamsForm } from "../../components/params";
import { Badge, Card, ErrorNote, Loaded, Note, Page, Progress } from "../../components/page";
import { ResultView } from "../../components/result";
import { formatCredits, productKind } from "../../format";
import { getRouteApi, Link } from "@tanstack/react-router";
import { Ratings } from "./ratings";

type ListingView = Outputs["marketplace"]["get"];

const route = getRouteApi("/app/marketplace/$id");

export function Listing() {
  const { id } = route.useParams();
  const listing = useQuery({ queryKey: ["marketplace.get", id], queryFn: () => api.marketplace.get.query({ id }) });
  return (
    <Loaded query={listing} what="Loading the product">
      {(p) => (
        <Page
          title={p.name}
          lead={
            <>
              <Badge tone="info">{productKind(p)}</Badge> by {p.seller.name}
              {p.category ? ` · ${p.category}` : ""}
            </>
          }
          actions={<Link className="button secondary" to="/app/marketplace">Back to search</Link>}
        >
          <div className="grid two">
            <Card title="About">
              <p>{p.description || "No description."}</p>
              {p.tags.length ? (
                <div className="chips">
                  {p.tags.map((t) => (
                    <span key={t} className="chip muted">
                      #{t}
                    </span>
                  ))}
                </div>
              ) : null}
              {p.topQuestions.length ? (
                <>
                  <h3>Top questions it answers</h3>
                  <ul>
                    {p.topQuestions.map((q) => (
                      <li key={q}>{q}</li>
                    ))}
                  </ul>
                </>
              ) : null}
              {p.filters.length ? (
                <>
                  <h3>Parameters</h3>
                  <ul className="plain small">
                    {p.filters.map((f) => (
                      <li key={f.param}>
                        <code>{f.param}</code> {f.type ? <span className="muted">{f.type}</span> : null} {f.required ? <Badge tone="warn">required</Badge> : null}{" "}
                        {f.description}
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
              {p.documentation ? (
                <details>
                  <summary>Documentation</summary>
                  <pre className="doc">{p.documentation}</pre>
                </details>
              ) : null}
            </Card>
            <QuoteCard listing={p} />
          </div>
          <Card title="Free preview">
            <ResultView result={p.preview} emptyHint="The seller has not published a sample for this product." />
          </Card>
          {p.type === "asset" ? <ProcessAsset listing={p} /> : <EndpointAccess listing={p} />}
          <Ratings productId={p.id} />
        </Page>
      )}
    </Loaded>
  );
}

function QuoteCard({ listing: p }: { listing: ListingView }) {
  const quote = useQuery({ queryKey: ["marketplace.quote", p.id], queryFn: () => api.marketplace.quote.query({ id: p.id }) });
  return (
    <Card title="Price">
      <div className="stats">
        <Stat label={`Per ${p.type === "asset" ? "execution" : "successful request"}`}>
          <Price usd={p.priceUsd} credits={p.priceCredits} />
        </Stat>
      </div>
      <Loaded query={quote} what="Quoting">
        {(q) => (
          <div className="stats" data-testid="quote">
            <Stat label="Costs now">
              <Credits value={q.credits} />
            </Stat>
            <Stat label="Available">
              <Credits value={q.availableCredits} />
            </Stat>
            <Stat label="After">
              <Credits value={q.balanceAfter} />
            </Stat>
          </div>
        )}
      </Loaded>
      {quote.data && !quote.data.affordable ? (
        <Note kind="warning">
          Not enough credits for one {quote.data.billedPer}. <Link to="/app/credits/buy">Buy credits</Link>
        </Note>
      ) : null}
      <p className="muted small">Billed per {p.type === "asset" ? "execution" : "successful (200) request"}. Failed work is never billed.</p>
    </Card>
  );
}

function ProcessAsset({ listing: p }: { listing: ListingView }) {
  const qc = useQueryClient();
  const [values, setValues] = useState<Record<string, string>>({});
  const subscribe = useMutation({
    mutationFn: () => api.marketplace.subscribe.mutate({ id: p.id }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["marketplace.library"] }),
  });
  const process = useMutation({
    mutationFn: () => api.marketplace.process.mutate({ id: p.id, params: cleanParams(values) }),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ["credits.balance"] });
      void qc.invalidateQueries({ queryKey: ["marketplace.quote", p.id] });
      void qc.invalidateQueries({ queryKey: ["marketplace.purchases"] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    process.mutate();
  };
  return (
    <Card title="Use it">
      <p className="muted">
        <strong>Subscribe</strong> adds it to your library for free. <strong>Process</strong> runs it on current data and charges{" "}
        {p.priceUsd === 0 ? "nothing (it is free)" : formatCredits(p.priceCredits)} only if it succeeds; the result stays in your purchases.
      </p>
      <form className="stack" onSubmit={submit}>
        <ParamsForm filters={p.filters} values={values} onChange={setValues} />
        <div className="actions">
          <button type="button" className="button secondary" onClick={() => subscribe.mutate()} disabled={subscribe.isPending || subscribe.isSuccess}>
            {subscribe.isSuccess ? "In your library" : "Subscribe (free)"}
          </button>
          <button type="submit" className="button" disabled={process.isPending}>
            {process.isPending ? "Processing…" : `Process${p.priceUsd === 0 ? "" : ` for ${formatCredits(p.priceCredits)}`}`}
          </button>
        </div>
      </form>
      {process.isPending ? <Progress label="Holding the price, computing the result" /> : null}
      <ErrorNote error={subscribe.error ?? process.error} />
      {process.error && errorCode(process.error) === "INSUFFICIENT_CREDITS" ? (
        <Note kind="warning">
          <Link to="/app/credits/buy">Buy credits</Link> and try again. Nothing was charged.
        </Note>
      ) : null}
      {process.data ? (
        <div className="stack" data-testid="process-result">
          <Note kind="success">
            {process.data.billing.billed ? `Charged ${formatCredits(process.data.billing.credits)}.` : "Not charged."} Saved in your{" "}
            <Link to="/app/purchases/$id" params={{ id: process.data.purchase.id }}>purchases</Link>.
          </Note>
          <ResultView result={process.data.purchase.result} download={p.name} />
        </div>
      ) : null}
    </Card>
  );
}

function EndpointAccess({ listing: p }: { listing: ListingView }) {
  const qc = useQueryClient();
  const [values, setValues] = useState<Record<string, string>>({});
  const key = useMutation({
    mutationFn: () => api.marketplace.endpoints.key.mutate({ id: p.id }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["marketplace.endpoints.keys"] }),
  });
  // The next page goes with the first page's parameters (its cursor is bound to them) and is billed like any page.
  const asked = useRef<{ params: Record<string, string>; page: number }>({ params: {}, page: 1 });
  const fetchPage = useMutation({
    mutationFn: (cursor?: string) => {
      asked.current = cursor ? { ...asked.current, page: asked.current.page + 1 } : { params: cleanParams(values), page: 1 };
      return api.marketplace.endpoints.fetch.mutate({ id: p.id, params: asked.current.params, pageSize: 20, ...(cursor ? { cursor } : {}) });
    },
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ["credits.balance"] });
      void qc.invalidateQueries({ queryKey: ["marketplace.quote", p.id] });
      void qc.invalidateQueries({ queryKey: ["marketplace.endpoints.keys"] });
    },
  });
  const k = key.data ?? fetchPage.data?.key;
  return (
    <Card title="Use it">
      <p className="muted">
        Your company gets its own key for this endpoint, free. Each successful request with it costs {p.priceUsd === 0 ? "nothing" : formatCredits(p.priceCredits)}; failed requests
        are never billed.
      </p>
      <div className="actions">
        <button type="button" className="button" onClick={() => key.mutate()} disabled={key.isPending}>
          Get API key
        </button>
      </div>
      <ErrorNote error={key.error} />
      {k ? (
        k.secret ? (
          <div className="stack" data-testid="endpoint-key">
            <Note kind="success">Your key, shown only now. Copy it somewhere safe.</Note>
            <CodeLine text={k.secret} label="Copy key" />
            <p className="small">Call it from anywhere:</p>
            <CodeLine text={curlLine(p.id, k.secret)} label="Copy curl" />
          </div>
        ) : (
          <Note>
            Your company already has a key for this endpoint (<code>{k.prefix}…</code>); its secret was shown when it was made. Lost it? Revoke it in{" "}
            <Link to="/app/keys">Endpoint keys</Link> and get a new one here.
          </Note>
        )
      ) : null}
      <h3>Fetch a page here</h3>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          fetchPage.mutate();
        }}
      >
        <ParamsForm filters={p.filters} values={values} onChange={setValues} />
        <div className="actions">
          <button type="submit" className="button secondary" disabled={fetchPage.isPending}>
            Fetch 20 rows{p.priceUsd === 0 ? "" : ` (${formatCredits(p.priceCredits)})`}
          </button>
        </div>
      </form>
      {fetchPage.isPending ? <Progress label="Fetching" /> : null}
      <ErrorNote error={fetchPage.error} />
      {fetchPage.data ? (
        <div className="stack">
          <p className="small muted">
            {fetchPage.data.page.billing.billed ? `Billed ${formatCredits(fetchPage.data.page.billing.credits)}` : "Not billed"} · request {fetchPage.data.page.billing.request_id}
          </p>
          <ResultView result={{ type: "rows", rows: fetchPage.data.page.data, nextCursor: null }} />
          <NextRows page={asked.current.page} cursor={fetchPage.data.page.pagination.next_cursor} price={p.priceUsd === 0 ? "" : ` (${formatCredits(p.priceCredits)})`} onNext={(c) => fetchPage.mutate(c)} busy={fetchPage.isPending} />
        </div>
      ) : null}
    </Card>
  );
}

/** "Page n · Next page": the endpoint's cursor asks for the rows after these; back to page 1 is Fetch again. */
function NextRows({ page, cursor, price, onNext, busy }: { page: number; cursor: string | null; price: string; onNext: (cursor: string) => void; busy: boolean }) {
  if (page === 1 && !cursor) return null;
  return (
    <nav className="pager" aria-label="Rows: pages">
      <span className="muted small">Page {page}</span>
      {cursor ? (
        <button type="button" className="button secondary" onClick={() => onNext(cursor)} disabled={busy}>
          Next page{price}
        </button>
      ) : (
        <span className="muted small">Last page</span>
      )}
    </nav>
  );
}
