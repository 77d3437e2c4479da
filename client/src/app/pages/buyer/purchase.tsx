import { useQuery } from "@tanstack/react-query";
import { api } from "../../api";
import { Card, Loaded, Page } from "../../components/page";
import { ResultView } from "../../components/result";
import { formatDateTime } from "../../format";
import { getRouteApi, Link } from "@tanstack/react-router";

/** A stored result, re-read free. */
const route = getRouteApi("/app/purchases/$id");

export function PurchasePage() {
  const { id } = route.useParams();
  const purchase = useQuery({ queryKey: ["marketplace.purchase", id], queryFn: () => api.marketplace.purchase.query({ id }) });
  const productId = purchase.data?.productId;
  // The product's name, while it is still listed (a stored result stays readable after it isn't).
  const product = useQuery({ queryKey: ["marketplace.get", productId], queryFn: () => api.marketplace.get.query({ id: productId! }), enabled: Boolean(productId), retry: false });
  return (
    <Loaded query={purchase} what="Loading the result">
      {(p) => (
        <Page
          title={product.data ? product.data.name : "Purchased result"}
          lead={`Processed ${formatDateTime(p.createdAt)}. Opening it again is free.`}
          actions={
            <>
              <Link className="button secondary" to="/app/library">
                All purchases
              </Link>
              <Link className="button" to="/app/marketplace/$id" params={{ id: p.productId }}>
                Process again
              </Link>
            </>
          }
        >
          <Card>
            <ResultView result={p.result} download={product.data?.name ?? "result"} />
          </Card>
        </Page>
      )}
    </Loaded>
  );
}
