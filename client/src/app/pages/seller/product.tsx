import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { z } from "zod";
import { setPriceInput, updateProductInput } from "../../../../../src/products/schema";
import { api } from "../../api";
import { Price, Stat, Usd } from "../../components/amounts";
import { FormError, FormField, showServerError, Toggle, useSchemaForm } from "../../components/forms";
import { Badge, Card, ErrorNote, Loaded, Note, Page } from "../../components/page";
import { PriceEstimate } from "../../components/price-estimate";
import { ResultView } from "../../components/result";
import { formatDateTime, formatUsd, productKind } from "../../format";
import { getRouteApi, Link } from "@tanstack/react-router";
import { categoryBox, listBox } from "./listing-boxes";
import { Customers, SpecEditor, TryIt } from "./product-parts";
import type { OwnProduct } from "./products";

const route = getRouteApi("/app/seller/products/$id");

export function ProductPage() {
  const { id } = route.useParams();
  const product = useQuery({ queryKey: ["products.get", id], queryFn: () => api.products.get.query({ id }) });
  const search = route.useSearch();
  return (
    <Loaded query={product} what="Loading the product">
      {(p) => (
        <Page
          title={p.name}
          lead={
            <>
              {productKind(p)} · {p.listed ? <Badge tone="good">Listed in the marketplace</Badge> : <Badge tone="warn">Not listed</Badge>}
            </>
          }
          actions={<Link className="button secondary" to="/app/seller/products">All products</Link>}
        >
          {search.created ? <Note kind="success">Created. Here is what buyers will see.</Note> : null}
          <ListingState product={p} />
          <div className="grid two">
            <Card title="Preview, as a buyer sees it">
              <ResultView result={p.preview} emptyHint="No sample yet: give every required filter a default in the query spec, then save it." />
            </Card>
            <PricingCard product={p} />
          </div>
          <TryIt product={p} />
          <DetailsCard product={p} />
          <SpecEditor product={p} />
          {p.type === "endpoint" ? <Customers productId={p.id} /> : null}
        </Page>
      )}
    </Loaded>
  );
}

function ListingState({ product: p }: { product: OwnProduct }) {
  const qc = useQueryClient();
  const connect = useQuery({ queryKey: ["connect.status"], queryFn: () => api.connect.status.query() });
  const toggle = useMutation({
    mutationFn: (sellInMarketplace: boolean) => api.products.update.mutate({ id: p.id, sellInMarketplace }),
    onSuccess: (next) => {
      qc.setQueryData(["products.get", p.id], next);
      void qc.invalidateQueries({ queryKey: ["products.list"] });
    },
  });
  return (
    <Card>
      <div className="row-between">
        <Toggle checked={p.sellInMarketplace} disabled={toggle.isPending} onChange={(v) => toggle.mutate(v)} label="Sell in the marketplace" />
        <span className="muted small">
          {p.listed
            ? "Buyers can find it in search."
            : !p.sellInMarketplace
              ? "Off: only you can see it. Turning it off delists this product only; your payouts keep flowing."
              : connect.data && !connect.data.canSell
                ? "Waiting for Stripe: connect and verify your account to list."
                : `Not listed yet: add ${[!p.description.trim() && "a description", !p.category && "a category"].filter(Boolean).join(" and ") || "the missing details"} below.`}
        </span>
      </div>
      {connect.data && !connect.data.canSell && p.sellInMarketplace ? (
        <Note kind="warning">
          Products are listed only once Stripe is connected and verified. <Link to="/app/seller/stripe">Connect Stripe</Link>
        </Note>
      ) : null}
      <ErrorNote error={toggle.error} />
    </Card>
  );
}

/** Validated by setPrice's own schema (src/products/schema.ts); a price the server refuses is shown on its field. */
function PricingCard({ product: p }: { product: OwnProduct }) {
  const qc = useQueryClient();
  // "1.00" rather than "1"; sub-cent prices keep their digits.
  const form = useSchemaForm(setPriceInput, { id: p.id, priceUsd: Number.isInteger(p.priceUsd * 100) ? p.priceUsd.toFixed(2) : String(p.priceUsd) });
  const price = String(form.watch("priceUsd") ?? "");
  const history = useQuery({ queryKey: ["products.priceHistory", p.id], queryFn: () => api.products.priceHistory.query({ id: p.id, limit: 200 }) });
  const save = useMutation({
    mutationFn: (values: typeof setPriceInput._zod.input) => api.products.setPrice.mutate(values),
    onSuccess: (next) => {
      qc.setQueryData(["products.get", p.id], next);
      void qc.invalidateQueries({ queryKey: ["products.priceHistory", p.id] });
      void qc.invalidateQueries({ queryKey: ["products.list"] });
    },
    onError: (error) => showServerError(form, error),
  });
  const per = p.type === "asset" ? "execution" : "request";
  return (
    <Card title="Pricing">
      <div className="stats">
        <Stat label={`Price per ${per}`}>
          <Price usd={p.priceUsd} credits={p.priceCredits} />
        </Stat>
        <Stat label="You earn per sale (80%)">
          <Usd value={p.sellerEarnsUsd} />
        </Stat>
        <Stat label="Platform fee (20%)">
          <Usd value={p.platformFeeUsd} />
        </Stat>
      </div>
      <form className="inline-form" noValidate onSubmit={form.handleSubmit((values) => save.mutate(values))}>
        <FormField form={form} name="priceUsd" label="New price in USD">
          {(control) => <input inputMode="decimal" {...control} />}
        </FormField>
        <button className="button" type="submit" disabled={save.isPending}>
          Set price
        </button>
      </form>
      <PriceEstimate priceUsd={price} per={per} />
      <p className="muted small">A new price applies from the next {per}; earlier sales keep theirs.</p>
      <FormError form={form} />
      <Loaded query={history}>
        {({ items: rows }) =>
          rows.length > 1 ? (
            <details>
              <summary>Price history ({rows.length})</summary>
              <ul className="plain small">
                {rows.map((r) => (
                  <li key={r.effectiveAt}>
                    {formatDateTime(r.effectiveAt)}: {r.priceUsd === 0 ? "Free" : formatUsd(r.priceUsd)}
                  </li>
                ))}
              </ul>
            </details>
          ) : null
        }
      </Loaded>
    </Card>
  );
}

// updateProduct's own schema (src/products/schema.ts) for the listing's fields, the lists and category as boxes (listing-boxes.ts).
const { shape } = updateProductInput;
const detailsForm = z.object({
  name: shape.name.unwrap(),
  description: shape.description.unwrap(),
  tags: listBox(shape.tags.unwrap(), "Tag"),
  category: categoryBox(shape.category.unwrap()),
  topQuestions: listBox(shape.topQuestions.unwrap(), "Question", /\n/),
  documentation: shape.documentation.unwrap(),
});
type DetailsValues = z.input<typeof detailsForm>;

function DetailsCard({ product: p }: { product: OwnProduct }) {
  const qc = useQueryClient();
  const form = useSchemaForm(detailsForm, {
    name: p.name,
    description: p.description,
    tags: p.tags.join(", "),
    category: p.category ?? "",
    topQuestions: p.topQuestions.join("\n"),
    documentation: p.documentation,
  });
  const save = useMutation({
    // The form keeps the boxes' text; the schema's output is the lists and the category the server takes.
    mutationFn: (values: DetailsValues) => {
      const { topQuestions, ...details } = detailsForm.parse(values);
      return api.products.update.mutate({ id: p.id, ...details, ...(p.type === "endpoint" ? { topQuestions } : {}) });
    },
    onSuccess: (next) => {
      qc.setQueryData(["products.get", p.id], next);
      void qc.invalidateQueries({ queryKey: ["products.list"] });
    },
    onError: (error) => showServerError(form, error),
  });
  return (
    <Card title="Listing details">
      <form className="stack" noValidate onSubmit={form.handleSubmit((values) => save.mutate(values))}>
        <FormField form={form} name="name" label="Name">
          {(control) => <input {...control} />}
        </FormField>
        <FormField form={form} name="description" label="Description">
          {(control) => <textarea rows={3} {...control} />}
        </FormField>
        <div className="grid two tight">
          <FormField form={form} name="tags" label="Tags" hint="Separated by commas.">
            {(control) => <input {...control} />}
          </FormField>
          <FormField form={form} name="category" label="Category">
            {(control) => <input {...control} />}
          </FormField>
        </div>
        {p.type === "endpoint" ? (
          <FormField form={form} name="topQuestions" label="Top Questions" hint="One per line.">
            {(control) => <textarea rows={3} {...control} />}
          </FormField>
        ) : null}
        <FormField form={form} name="documentation" label="Documentation">
          {(control) => <textarea rows={4} {...control} />}
        </FormField>
        <FormError form={form} />
        {save.isSuccess ? <Note kind="success">Saved.</Note> : null}
        <div className="actions">
          <button className="button" type="submit" disabled={save.isPending}>
            Save details
          </button>
        </div>
      </form>
    </Card>
  );
}
