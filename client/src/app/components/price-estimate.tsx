import { useQuery } from "@tanstack/react-query";
import { asUsd, parseDecimal, priceSale, toDecimalNumber } from "../../../../src/money";
import { api } from "../api";
import { formatCredits, formatUsd } from "../format";

/** The platform's cut in the source documents: sellers keep 80%. The saved product shows the server's exact figures. */
const PLATFORM_FEE_BPS = 2000;

/**
 * What a USD price means at today's credit value, computed with the worker's
 * own money module (src/money.ts), so the estimate rounds exactly as a sale will.
 */
export function PriceEstimate({ priceUsd, per }: { priceUsd: string; per: string }) {
  const catalogue = useQuery({ queryKey: ["billing.catalogue"], queryFn: () => api.billing.catalogue.query(), staleTime: 300_000 });
  const micro = parseDecimal(priceUsd);
  if (micro === null || micro < 0) return <p className="field-hint error-text">Write the price in dollars, like 0.25 (at most 6 decimals).</p>;
  if (micro === 0) return <p className="field-hint">Free: buyers pay nothing and no credits move.</p>;
  if (!catalogue.data) return null;
  const rate = { usdPerCredit: asUsd(parseDecimal(catalogue.data.creditValueUsd)!), platformFeeBps: PLATFORM_FEE_BPS };
  const sale = priceSale(asUsd(micro), rate);
  return (
    <p className="field-hint" data-testid="price-estimate">
      Buyers pay <strong>{formatCredits(toDecimalNumber(sale.credits))}</strong> per {per} (1 credit = {formatUsd(catalogue.data.creditValueUsd)}). You earn{" "}
      <strong>{formatUsd(toDecimalNumber(sale.sellerShare))}</strong> (80%); the platform fee is {formatUsd(toDecimalNumber(sale.platformFee))}.
    </p>
  );
}
