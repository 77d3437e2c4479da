import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { z } from "zod";
import { createProductInput } from "../../../../../src/products/schema";
import { api } from "../../api";
import { Field, FormError, FormField, showServerError, useSchemaForm } from "../../components/forms";
import { Card, Empty, Loaded, Page, Progress } from "../../components/page";
import { PriceEstimate } from "../../components/price-estimate";
import { initialGuide, parseSpecText, SpecGuide, specOf, type Guide, type Shape } from "../../components/spec-builder";
import { getRouteApi, Link, useNavigate } from "@tanstack/react-router";
import { categoryBox, listBox } from "./listing-boxes";

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

// create's own schema (src/products/schema.ts) for the fields around the spec builder; the type, source and spec keep
// the builder's state, and a refusal of the spec (parsing it here, or the server's) is shown on its section.
const { shape: fields } = createProductInput;
const productForm = z.object({
  name: fields.name,
  description: fields.description.unwrap(),
  tags: listBox(fields.tags.unwrap(), "Tag"),
  category: categoryBox(fields.category.unwrap()),
  topQuestions: listBox(fields.topQuestions.unwrap(), "Question", /\n/),
  documentation: fields.documentation.unwrap(),
  priceUsd: fields.priceUsd,
  sellInMarketplace: fields.sellInMarketplace,
  spec: z.unknown(),
});
type ProductValues = z.input<typeof productForm>;

type Sources = Awaited<ReturnType<typeof api.dataSources.list.query>>["items"];

function ProductForm({ sources, initialSource }: { sources: Sources; initialSource: string }) {
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [shape, setShape] = useState<Shape>("endpoint");
  const [sourceId, setSourceId] = useState(sources.some((s) => s.id === initialSource) ? initialSource : sources[0]!.id);
  const source = sources.find((s) => s.id === sourceId);
  const [guide, setGuide] = useState<Guide>(() => initialGuide(source));
  const [specText, setSpecText] = useState(() => JSON.stringify(specOf(shape, source, guide), null, 2));
  const connect = useQuery({ queryKey: ["connect.status"], queryFn: () => api.connect.status.query() });
  const canSell = connect.data?.canSell ?? false;
  const form = useSchemaForm(productForm, { name: "", description: "", tags: "", category: "", topQuestions: "", documentation: "", priceUsd: "1.00", sellInMarketplace: false, spec: null });
  // Listing needs a verified Stripe account: offer it on only when there is one.
  useEffect(() => form.setValue("sellInMarketplace", canSell), [canSell]);

  useEffect(() => setGuide(initialGuide(source)), [sourceId]);
  useEffect(() => setSpecText(JSON.stringify(specOf(shape, source, guide), null, 2)), [shape, guide, sourceId]);
  // A changed spec is a new one to check: the last refusal of it no longer applies.
  useEffect(() => form.clearErrors("spec"), [specText]);
  const specError = form.formState.errors.spec?.message;

  const create = useMutation({
    mutationFn: ({ values, spec }: { values: ProductValues; spec: Record<string, unknown> }) => {
      // The boxes' text as the schema's lists and category; the price as written (the server parses it again).
      const { tags, category, topQuestions } = productForm.parse({ ...values, spec });
      return api.products.create.mutate({
        type: shape === "endpoint" ? "endpoint" : "asset",
        ...(shape === "endpoint" ? {} : { assetKind: shape }),
        name: values.name,
        description: values.description,
        tags,
        category,
        documentation: values.documentation,
        topQuestions: shape === "endpoint" ? topQuestions : [],
        dataSourceId: sourceId,
        spec,
        priceUsd: values.priceUsd,
        sellInMarketplace: values.sellInMarketplace,
      });
    },
    onSuccess: (product) => {
      void qc.invalidateQueries({ queryKey: ["products.list"] });
      void navigate({ to: "/app/seller/products/$id", params: { id: product.id }, search: { created: true } });
    },
    onError: (error) => showServerError(form, error),
  });

  const submit = form.handleSubmit((values) => {
    const parsed = parseSpecText(specText);
    if (!parsed.ok) {
      form.setError("spec", { type: "parse", message: parsed.error });
      return;
    }
    create.mutate({ values, spec: parsed.spec });
  });

  return (
    <form className="stack" noValidate onSubmit={submit}>
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
        {typeof specError === "string" ? (
          <div className="note error" role="alert">
            {specError}
          </div>
        ) : null}
      </Card>

      <Card title="3. How buyers find it">
        <FormField form={form} name="name" label="Name">
          {(control) => <input {...control} />}
        </FormField>
        <FormField form={form} name="description" label="Description">
          {(control) => <textarea rows={3} {...control} />}
        </FormField>
        <div className="grid two tight">
          <FormField form={form} name="tags" label="Tags" hint="Comma-separated.">
            {(control) => <input placeholder="sales, regions" {...control} />}
          </FormField>
          <FormField form={form} name="category" label="Category">
            {(control) => <input placeholder="Retail" {...control} />}
          </FormField>
        </div>
        {shape === "endpoint" ? (
          <FormField form={form} name="topQuestions" label="Top Questions" hint="One per line: questions this endpoint answers. They weigh in search.">
            {(control) => <textarea rows={3} {...control} />}
          </FormField>
        ) : null}
        <FormField form={form} name="documentation" label="Documentation">
          {(control) => <textarea rows={3} {...control} />}
        </FormField>
      </Card>

      <Card title="4. Price">
        <FormField form={form} name="priceUsd" label={`Price in USD per ${shape === "endpoint" ? "successful request" : "execution"}`}>
          {(control) => <input inputMode="decimal" {...control} />}
        </FormField>
        <PriceEstimate priceUsd={String(form.watch("priceUsd") ?? "")} per={shape === "endpoint" ? "request" : "execution"} />
        <label className="check">
          <input type="checkbox" disabled={!canSell} {...form.register("sellInMarketplace")} /> Sell in the marketplace
        </label>
        {connect.data && !canSell ? (
          <p className="field-hint">
            Listing needs a verified Stripe account. <Link to="/app/seller/stripe">Connect Stripe</Link>, then turn “Sell in the marketplace” on from your products.
          </p>
        ) : null}
      </Card>

      {create.isPending ? <Progress label="Creating the product and computing its preview" /> : null}
      <FormError form={form} />
      <div className="actions">
        <button className="button" type="submit" disabled={create.isPending}>
          Create product
        </button>
      </div>
    </form>
  );
}
