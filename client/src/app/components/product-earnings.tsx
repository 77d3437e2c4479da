import { formatCount } from "../format";
import { Link } from "@tanstack/react-router";
import { Usd } from "./amounts";
import { columnsFor, DataTable } from "./data-table";

interface ProductEarnings {
  productId: string;
  name: string;
  type: string;
  sales: number;
  refunds: number;
  earningsUsd: number;
  exactEarningsUsd?: string | number;
}

const col = columnsFor<ProductEarnings>();

function columns(linked: boolean) {
  return [
    col.accessor("name", { header: "Product", cell: (c) => (linked ? <Link to="/app/seller/products/$id" params={{ id: c.row.original.productId }}>{c.getValue()}</Link> : c.getValue()) }),
    col.accessor("type", { header: "Type", cell: (c) => (c.getValue() === "ASSET" ? "Asset" : "Endpoint") }),
    col.accessor("sales", { header: "Sales", meta: { align: "right" }, cell: (c) => formatCount(c.getValue()) }),
    col.accessor("refunds", { header: "Refunds", meta: { align: "right" }, cell: (c) => formatCount(c.getValue()) }),
    col.accessor("earningsUsd", {
      header: "Earned",
      meta: { align: "right" },
      cell: (c) => {
        const exact = c.row.original.exactEarningsUsd;
        return (
          <span title={exact === undefined ? undefined : `exactly $${exact}`}>
            <Usd value={c.getValue()} />
          </span>
        );
      },
    }),
  ];
}

const LINKED = columns(true);
const PLAIN = columns(false);

/** Sales, refunds and the seller's earnings per product (the earnings page and a payout's line items); one card per product on a phone. */
export function ProductEarningsTable({ rows, linked = false }: { rows: ProductEarnings[]; linked?: boolean }) {
  return <DataTable label="Earnings by product" columns={linked ? LINKED : PLAIN} list={{ rows }} rowKey={(p) => p.productId} empty={null} />;
}
