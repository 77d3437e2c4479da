import { formatCount } from "../format";
import { Link } from "@tanstack/react-router";
import { Usd } from "./amounts";

interface ProductEarnings {
  productId: string;
  name: string;
  type: string;
  sales: number;
  refunds: number;
  earningsUsd: number;
  exactEarningsUsd?: string | number;
}

/** Sales, refunds and the seller's earnings per product (the earnings page and a payout's line items). */
export function ProductEarningsTable({ rows, linked = false }: { rows: ProductEarnings[]; linked?: boolean }) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label="Earnings by product">
      <table>
        <thead>
          <tr>
            <th>Product</th>
            <th>Type</th>
            <th className="right">Sales</th>
            <th className="right">Refunds</th>
            <th className="right">Earned</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((p) => (
            <tr key={p.productId}>
              <td>{linked ? <Link to="/app/seller/products/$id" params={{ id: p.productId }}>{p.name}</Link> : p.name}</td>
              <td>{p.type === "ASSET" ? "Asset" : "Endpoint"}</td>
              <td className="right">{formatCount(p.sales)}</td>
              <td className="right">{formatCount(p.refunds)}</td>
              <td className="right" title={p.exactEarningsUsd === undefined ? undefined : `exactly $${p.exactEarningsUsd}`}>
                <Usd value={p.earningsUsd} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
