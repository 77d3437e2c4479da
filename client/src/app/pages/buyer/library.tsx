import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Outputs } from "../../api";
import { Credits, Usd } from "../../components/amounts";
import { columnsFor, DataTable } from "../../components/data-table";
import { Pager, usePaged } from "../../components/paging";
import { Card, Empty, ErrorNote, Loaded, Page } from "../../components/page";
import { formatDate, formatDateTime } from "../../format";
import { Link } from "@tanstack/react-router";

type PurchaseRow = Outputs["marketplace"]["purchases"]["items"][number];
const col = columnsFor<PurchaseRow>();
const PURCHASE_COLUMNS = [
  col.accessor("createdAt", { header: "When", cell: (c) => formatDateTime(c.getValue()) }),
  col.accessor("productName", {
    header: "Asset",
    cell: (c) => (
      <Link to="/app/purchases/$id" params={{ id: c.row.original.id }}>
        {c.getValue()}
      </Link>
    ),
  }),
  col.accessor("priceUsd", { header: "Price", meta: { align: "right" }, cell: (c) => <Usd value={c.getValue()} /> }),
  col.accessor("credits", { header: "Charged", meta: { align: "right" }, cell: (c) => <Credits value={c.getValue()} /> }),
];

export function Library() {
  const qc = useQueryClient();
  const { query: library, pager: libraryPager } = usePaged(["marketplace.library"], (cursor) => api.marketplace.library.query({ cursor }));
  const { query: purchases, pager } = usePaged(["marketplace.purchases"], (cursor) => api.marketplace.purchases.query({ limit: 20, cursor }));
  const unsubscribe = useMutation({
    mutationFn: (id: string) => api.marketplace.unsubscribe.mutate({ id }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["marketplace.library"] }),
  });
  return (
    <Page title="Library and purchases" lead="Assets you subscribed to (free), and the results you paid for, re-read at no cost.">
      <Card title="Library">
        <Loaded query={library} what="Loading your library">
          {({ items }) =>
            items.length === 0 ? (
              <Empty title="Your library is empty" action={<Link className="button" to="/app/marketplace" search={{ type: "asset" }}>Browse assets</Link>}>
                Subscribe to assets in the marketplace to keep them at hand. Subscribing is free.
              </Empty>
            ) : (
              <ul className="list">
                {items.map((item) => (
                  <li key={item.productId} className="list-item row-between">
                    <div>
                      <Link to="/app/marketplace/$id" params={{ id: item.productId }}>
                        <strong>{item.name}</strong>
                      </Link>
                      <div className="muted small">
                        {item.assetKind} · subscribed {formatDate(item.subscribedAt)}
                      </div>
                    </div>
                    <div className="actions">
                      <Link className="button small" to="/app/marketplace/$id" params={{ id: item.productId }}>
                        Process
                      </Link>
                      <button type="button" className="button small secondary" onClick={() => unsubscribe.mutate(item.productId)} disabled={unsubscribe.isPending}>
                        Remove
                      </button>
                    </div>
                  </li>
                ))}
              </ul>
            )
          }
        </Loaded>
        <Pager pager={libraryPager} label="Library" />
        <ErrorNote error={unsubscribe.error} />
      </Card>
      <Card title="Purchases">
        <DataTable
          label="Purchases"
          columns={PURCHASE_COLUMNS}
          list={{ query: purchases, pager }}
          rowKey={(r) => r.id}
          empty={<Empty title="No purchases yet">When you process an asset, its result is stored here and can be opened again for free.</Empty>}
        />
      </Card>
    </Page>
  );
}
