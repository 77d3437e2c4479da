import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api } from "../../api";
import { ConfirmButton } from "../../components/dialog";
import { Pager, usePaged } from "../../components/paging";
import { cleanParams, ParamsForm } from "../../components/params";
import { Badge, Card, Empty, ErrorNote, Loaded, Note, Progress } from "../../components/page";
import { ResultView } from "../../components/result";
import { parseSpecText } from "../../components/spec-builder";
import { formatDate } from "../../format";
import type { OwnProduct } from "./products";

/** The buyer filters a product declares, from its spec. */
function declaredFilters(spec: Record<string, unknown>): { param: string; required?: boolean; description?: string }[] {
  const filters = spec.filters;
  return Array.isArray(filters) ? (filters as { param: string; required?: boolean; description?: string }[]) : [];
}

/** Runs the product for its seller, free, with parameters. */
export function TryIt({ product: p }: { product: OwnProduct }) {
  const [values, setValues] = useState<Record<string, string>>({});
  const [asked, setAsked] = useState<Record<string, string> | null>(null);
  // An endpoint answers a page at a time; its nextCursor asks for the page after (Pager).
  const { query: run, pager } = usePaged(
    ["products.try", p.id, p.updatedAt, asked],
    async (cursor) => {
      const result = await api.products.try.query({ id: p.id, params: asked ?? {}, ...(cursor ? { cursor } : {}) });
      return { items: [result], nextCursor: result.type === "rows" ? result.nextCursor : null };
    },
    { enabled: asked !== null },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAsked(cleanParams(values));
  };
  return (
    <Card title="Try it with parameters" actions={<span className="muted small">Free for you; buyers pay per {p.type === "asset" ? "execution" : "request"}.</span>}>
      <form className="stack" onSubmit={submit}>
        <ParamsForm filters={declaredFilters(p.spec)} values={values} onChange={setValues} />
        <div className="actions">
          <button className="button secondary" type="submit" disabled={run.isFetching}>
            Run
          </button>
        </div>
      </form>
      {run.isFetching ? <Progress label="Running" /> : null}
      <ErrorNote error={run.error} />
      {run.data && !run.isFetching ? <ResultView result={run.data.items[0]} /> : null}
      <Pager pager={pager} label="Try it" />
    </Card>
  );
}

export function SpecEditor({ product: p }: { product: OwnProduct }) {
  const qc = useQueryClient();
  const [text, setText] = useState(() => JSON.stringify(p.spec, null, 2));
  const [parseError, setParseError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (spec: Record<string, unknown>) => api.products.update.mutate({ id: p.id, spec }),
    onSuccess: (next) => qc.setQueryData(["products.get", p.id], next),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseSpecText(text);
    if (!parsed.ok) {
      setParseError(parsed.error);
      return;
    }
    setParseError(null);
    save.mutate(parsed.spec);
  };
  return (
    <Card title="Query spec">
      <form className="stack" onSubmit={submit}>
        <p className="muted small">
          Columns, the filters buyers may pass, fixed conditions (where), sort, aggregate and chart. Saving checks it against the data source and
          recomputes the preview.
        </p>
        <textarea className="code" rows={12} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} aria-label="Query spec JSON" />
        {parseError ? <div className="note error">{parseError}</div> : null}
        <ErrorNote error={save.error} title="Not saved:" />
        {save.isSuccess ? <Note kind="success">Saved; the preview is up to date.</Note> : null}
        <div className="actions">
          <button className="button" type="submit" disabled={save.isPending}>
            Save spec
          </button>
        </div>
      </form>
    </Card>
  );
}

/** Buyer companies holding keys to this endpoint, each revocable. */
export function Customers({ productId }: { productId: string }) {
  const qc = useQueryClient();
  const { query: customers, pager } = usePaged(["products.customers", productId], (cursor) => api.products.customers.query({ id: productId, cursor }));
  const revoke = useMutation({
    mutationFn: (keyId: string) => api.products.revokeCustomerKey.mutate({ keyId }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["products.customers", productId] }),
  });
  return (
    <Card title="Buyer keys">
      <Loaded query={customers} what="Loading keys">
        {({ items: list }) =>
          list.length === 0 ? (
            <Empty title="No buyer has a key yet">A buyer company gets its key the first time it fetches this endpoint. They show up here, each revocable.</Empty>
          ) : (
            <div className="table-wrap" tabIndex={0} role="region" aria-label="Customer keys">
              <table>
                <thead>
                  <tr>
                    <th>Buyer</th>
                    <th>Key</th>
                    <th>Since</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {list.map((k) => (
                    <tr key={k.id}>
                      <td>{k.buyerName}</td>
                      <td>
                        <code>{k.prefix}…</code>
                      </td>
                      <td>{formatDate(k.createdAt)}</td>
                      <td className="right">
                        {k.revokedAt ? (
                          <Badge tone="bad">Revoked by {k.revokedBy}</Badge>
                        ) : (
                          <ConfirmButton label="Revoke" title={`Cut ${k.buyerName} off this endpoint?`} confirm="Revoke" onConfirm={() => revoke.mutate(k.id)} disabled={revoke.isPending}>
                            Their key stops on the next request.
                          </ConfirmButton>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
      <Pager pager={pager} label="Customer keys" />
      <ErrorNote error={revoke.error} />
    </Card>
  );
}
