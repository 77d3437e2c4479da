import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { api } from "../../api";
import { Field, splitList } from "../../components/forms";
import { Card, Empty, ErrorNote, Loaded, Page, Progress } from "../../components/page";
import { PriceEstimate } from "../../components/price-estimate";
import { initialGuide, parseSpecText, SpecGuide, specOf, type Guide, type Shape } from "../../components/spec-builder";
import { getRouteApi, Link, useNavigate } from "@tanstack/react-router";

const route = getRouteApi("/app/seller/products/new");

export function NewProduct() {
  const search = route.useSearch();
  const sources = useQuery({ queryKey: ["dataSources.list", "all"], queryFn: () => api.dataSources.list.query({ limit: 100 }).then((page) => page.items) });
  return (
    <Page title="New product" lead="Turn a data source into something buyers pay for: an endpoint (rows) or an asset (one value or one chart).">
      <Loaded query={sources} what="Loading data sources">
        {(list) =>
          list.length === 0 ? (
            <Card>
              <Empty title="No data sources yet" action={<Link className="button" to="/app/seller/data">Upload a dataset</Link>}>
                A product reads from a hosted dataset or your HTTPS API. Add one first.
              </Empty>
            </Card>
          ) : (
            <ProductForm sources={list} initialSource={search.source ?? list[0]!.id} />
          )
        }
      </Loaded>
    </Page>
  );
}

type Sources = Awaited<ReturnType<typeof api.dataSources.list.query>>["items"];

function ProductForm({ sources, initialSource }: { sources: Sources; initialSource: string }) {
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [shape, setShape] = useState<Shape>("endpoint");
  const [sourceId, setSourceId] = useState(sources.some((s) => s.id === initialSource) ? initialSource : sources[0]!.id);
  const source = sources.find((s) => s.id === sourceId);
  const [guide, setGuide] = useState<Guide>(() => initialGuide(source));
  const [specText, setSpecText] = useState(() => JSON.stringify(specOf(shape, source, guide), null, 2));
  const [specError, setSpecError] = useState<string | null>(null);
  const connect = useQuery({ queryKey: ["connect.status"], queryFn: () => api.connect.status.query() });
  const canSell = connect.data?.canSell ?? false;
  const [meta, setMeta] = useState({ name: "", description: "", tags: "", category: "", topQuestions: "", documentation: "", priceUsd: "1.00", sell: false });
  // Listing needs a verified Stripe account: offer it on only when there is one.
  useEffect(() => setMeta((m) => ({ ...m, sell: canSell })), [canSell]);

  useEffect(() => setGuide(initialGuide(source)), [sourceId]);
  useEffect(() => setSpecText(JSON.stringify(specOf(shape, source, guide), null, 2)), [shape, guide, sourceId]);

  const create = useMutation({
    mutationFn: (spec: Record<string, unknown>) =>
      api.products.create.mutate({
        type: shape === "endpoint" ? "endpoint" : "asset",
        ...(shape === "endpoint" ? {} : { assetKind: shape }),
        name: meta.name,
        description: meta.description,
        tags: splitList(meta.tags),
        category: meta.category.trim() || null,
        documentation: meta.documentation,
        topQuestions: shape === "endpoint" ? splitList(meta.topQuestions, /\n/) : [],
        dataSourceId: sourceId,
        spec,
        priceUsd: meta.priceUsd.trim(),
        sellInMarketplace: meta.sell,
      }),
    onSuccess: (product) => {
      void qc.invalidateQueries({ queryKey: ["products.list"] });
      void navigate({ to: "/app/seller/products/$id", params: { id: product.id }, search: { created: true } });
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseSpecText(specText);
    if (!parsed.ok) {
      setSpecError(parsed.error);
      return;
    }
    setSpecError(null);
    create.mutate(parsed.spec);
  };

  return (
    <form className="stack" onSubmit={submit}>
      <Card title="1. What it is">
        <div className="segmented" role="radiogroup" aria-label="Product type">
          {(
            [
              ["endpoint", "Endpoint", "Rows, paginated. Billed per successful request."],
              ["calculation", "Calculation", "One number, string or percentage. Billed per execution."],
              ["visualization", "Visualization", "One chart. Billed per execution."],
            ] as const
          ).map(([value, label, hint]) => (
            <label key={value} className={shape === value ? "selected" : ""}>
              <input type="radio" name="shape" value={value} checked={shape === value} onChange={() => setShape(value)} />
              <strong>{label}</strong>
              <span className="muted small">{hint}</span>
            </label>
          ))}
        </div>
        <Field label="Data source">
          <select value={sourceId} onChange={(e) => setSourceId(e.target.value)}>
            {sources.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.kind === "dataset" ? "dataset" : "HTTP origin"})
              </option>
            ))}
          </select>
        </Field>
      </Card>

      <Card title="2. The query">
        <SpecGuide shape={shape} source={source} guide={guide} onChange={setGuide} />
        <Field label="Query spec (JSON)" hint="Written by the choices above; edit it by hand for more (where, sort.allowed, defaults…).">
          <textarea className="code" rows={8} value={specText} onChange={(e) => setSpecText(e.target.value)} spellCheck={false} />
        </Field>
        {specError ? <div className="note error">{specError}</div> : null}
      </Card>

      <Card title="3. How buyers find it">
        <Field label="Name">
          <input required minLength={2} value={meta.name} onChange={(e) => setMeta({ ...meta, name: e.target.value })} />
        </Field>
        <Field label="Description">
          <textarea rows={3} value={meta.description} onChange={(e) => setMeta({ ...meta, description: e.target.value })} />
        </Field>
        <div className="grid two tight">
          <Field label="Tags" hint="Comma-separated.">
            <input value={meta.tags} onChange={(e) => setMeta({ ...meta, tags: e.target.value })} placeholder="sales, regions" />
          </Field>
          <Field label="Category">
            <input value={meta.category} onChange={(e) => setMeta({ ...meta, category: e.target.value })} placeholder="Retail" />
          </Field>
        </div>
        {shape === "endpoint" ? (
          <Field label="Top Questions" hint="One per line: questions this endpoint answers. They weigh in search.">
            <textarea rows={3} value={meta.topQuestions} onChange={(e) => setMeta({ ...meta, topQuestions: e.target.value })} />
          </Field>
        ) : null}
        <Field label="Documentation">
          <textarea rows={3} value={meta.documentation} onChange={(e) => setMeta({ ...meta, documentation: e.target.value })} />
        </Field>
      </Card>

      <Card title="4. Price">
        <Field label={`Price in USD per ${shape === "endpoint" ? "successful request" : "execution"}`}>
          <input inputMode="decimal" required value={meta.priceUsd} onChange={(e) => setMeta({ ...meta, priceUsd: e.target.value })} />
        </Field>
        <PriceEstimate priceUsd={meta.priceUsd} per={shape === "endpoint" ? "request" : "execution"} />
        <label className="check">
          <input type="checkbox" checked={meta.sell} disabled={!canSell} onChange={(e) => setMeta({ ...meta, sell: e.target.checked })} /> Sell in the marketplace
        </label>
        {connect.data && !canSell ? (
          <p className="field-hint">
            Listing needs a verified Stripe account. <Link to="/app/seller/stripe">Connect Stripe</Link>, then turn “Sell in the marketplace” on from your products.
          </p>
        ) : null}
      </Card>

      {create.isPending ? <Progress label="Creating the product and computing its preview" /> : null}
      <ErrorNote error={create.error} title="Not saved:" />
      <div className="actions">
        <button className="button" type="submit" disabled={create.isPending}>
          Create product
        </button>
      </div>
    </form>
  );
}
