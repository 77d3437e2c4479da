import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Outputs } from "../../api";
import { Price, Usd } from "../../components/amounts";
import { Toggle } from "../../components/forms";
import { Pager, usePaged } from "../../components/paging";
import { Badge, Card, Empty, ErrorNote, Loaded, Note, Page } from "../../components/page";
import { formatDate, productKind } from "../../format";
import { Link } from "@tanstack/react-router";

export type OwnProduct = Outputs["products"]["list"]["items"][number];

export function Products() {
  const { query: products, pager } = usePaged(["products.list"], (cursor) => api.products.list.query({ cursor }), { inUrl: true });
  const connect = useQuery({ queryKey: ["connect.status"], queryFn: () => api.connect.status.query() });
  return (
    <Page
      title="Products"
      lead="Assets (one value or one chart, billed per execution) and endpoints (rows, billed per successful request)."
      actions={
        <Link className="button" to="/app/seller/products/new">
          New product
        </Link>
      }
    >
      {connect.data && !connect.data.canSell ? (
        <Note kind="warning">
          Your products can't be listed in the marketplace until Stripe is connected and verified. <Link to="/app/seller/stripe">Connect Stripe</Link>
        </Note>
      ) : null}
      <Card>
        <Loaded query={products} what="Loading products">
          {({ items: list }) =>
            list.length === 0 ? (
              <Empty
                title="No products yet"
                action={
                  <>
                    <Link className="button" to="/app/seller/data">
                      Upload a dataset
                    </Link>{" "}
                    <Link className="button secondary" to="/app/seller/products/new">
                      Create a product
                    </Link>
                  </>
                }
              >
                A product reads from a data source. Upload a dataset (or connect your API) first, then create an endpoint or an asset from it.
              </Empty>
            ) : (
              <div className="table-wrap" tabIndex={0} role="region" aria-label="Products">
                <table className="products-table">
                  <thead>
                    <tr>
                      <th>Product</th>
                      <th>Price</th>
                      <th>You earn</th>
                      <th>Marketplace</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((p) => (
                      <ProductRow key={p.id} product={p} />
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </Loaded>
        <Pager pager={pager} label="Products" />
      </Card>
    </Page>
  );
}

function ProductRow({ product: p }: { product: OwnProduct }) {
  const qc = useQueryClient();
  const toggle = useMutation({
    mutationFn: (sellInMarketplace: boolean) => api.products.update.mutate({ id: p.id, sellInMarketplace }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["products.list"] }),
  });
  return (
    <tr>
      <td>
        <Link to="/app/seller/products/$id" params={{ id: p.id }}>
          <strong>{p.name}</strong>
        </Link>
        <div className="muted small">
          {productKind(p)} · created {formatDate(p.createdAt)}
        </div>
      </td>
      <td>
        <Price usd={p.priceUsd} credits={p.priceCredits} />
        <div className="muted small">per {p.type === "asset" ? "execution" : "request"}</div>
      </td>
      <td>{p.priceUsd === 0 ? "—" : <Usd value={p.sellerEarnsUsd} />}</td>
      <td>
        <div className="listing-state">
          <Toggle checked={p.sellInMarketplace} disabled={toggle.isPending} onChange={(v) => toggle.mutate(v)} label="Sell" />
          {p.listed ? <Badge tone="good">Live</Badge> : p.sellInMarketplace ? <Badge tone="warn">Not listed yet</Badge> : <Badge>Off</Badge>}
        </div>
        <ErrorNote error={toggle.error} />
      </td>
    </tr>
  );
}
