import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { rateInput } from "../../../../../src/ratings/schema";
import { api } from "../../api";
import { FormError, FormField, showServerError, useSchemaForm } from "../../components/forms";
import { Pager, usePaged } from "../../components/paging";
import { Card, Loaded, Note } from "../../components/page";
import { SellerBadges } from "../../components/seller-badges";
import { formatDate } from "../../format";

export function Stars({ value }: { value: number }) {
  const full = Math.round(value);
  return (
    <span className="stars" aria-label={`${value} out of 5`}>
      {"★".repeat(full)}
      <span className="muted">{"★".repeat(5 - full)}</span>
    </span>
  );
}

/** A listing's ratings, its seller's badges, and the buyer's own rating (after using it). */
export function Ratings({ productId }: { productId: string }) {
  const qc = useQueryClient();
  const ratings = useQuery({ queryKey: ["ratings.forProduct", productId], queryFn: () => api.ratings.forProduct.query({ productId }) });
  const { query: reviews, pager } = usePaged(["ratings.reviews", productId], (cursor) => api.ratings.reviews.query({ productId, limit: 10, cursor }));
  // The procedure's own schema (src/ratings/schema.ts); the product is the page's.
  const form = useSchemaForm(rateInput, { productId, stars: 5, review: "" });
  const mine = ratings.data?.mine;
  useEffect(() => {
    if (mine) form.reset({ productId, stars: mine.stars, review: mine.review ?? "" });
  }, [mine, productId, form]);
  const rate = useMutation({
    mutationFn: (values: typeof rateInput._zod.input) => api.ratings.rate.mutate({ ...values, review: values.review?.trim() || undefined }),
    onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: ["ratings.forProduct", productId] }), qc.invalidateQueries({ queryKey: ["ratings.reviews", productId] })]),
    onError: (error) => showServerError(form, error),
  });
  return (
    <Card title="Ratings and reviews">
      <Loaded query={ratings}>
        {(r) => {
          const reviewed = (reviews.data?.items ?? []).filter((x) => x.review);
          return (
            <div className="stack">
              <div className="row-between">
                <div>
                  {r.count ? (
                    <>
                      <Stars value={r.average ?? 0} /> <strong>{r.average?.toFixed(2)}</strong> <span className="muted">from {r.count} rating{r.count === 1 ? "" : "s"}</span>
                    </>
                  ) : (
                    <span className="muted">No ratings yet.</span>
                  )}
                </div>
                <div className="chips">
                  <span className="muted small">{r.seller.name}:</span>
                  <SellerBadges badges={r.seller.badges} empty={<span className="muted small">no badges yet</span>} />
                </div>
              </div>
              {reviewed.length ? (
                <ul className="list">
                  {reviewed.map((x) => (
                    <li key={x.companyId} className="list-item small">
                      <Stars value={x.stars} /> <strong>{x.companyName}</strong> <span className="muted">{formatDate(x.updatedAt)}</span>
                      <p>{x.review}</p>
                    </li>
                  ))}
                </ul>
              ) : null}
              <Pager pager={pager} label="Reviews" />
              <form className="stack" noValidate onSubmit={form.handleSubmit((values) => rate.mutate(values))}>
                <div className="grid two tight">
                  <FormField form={form} name="stars" label={r.mine ? "Your rating (change it any time)" : "Your rating"} options={{ valueAsNumber: true }}>
                    {(control) => (
                      <select {...control}>
                        {[5, 4, 3, 2, 1].map((n) => (
                          <option key={n} value={n}>
                            {"★".repeat(n)} ({n})
                          </option>
                        ))}
                      </select>
                    )}
                  </FormField>
                  <FormField form={form} name="review" label="Review (optional)">
                    {(control) => <input maxLength={2000} {...control} />}
                  </FormField>
                </div>
                <FormError form={form} />
                {rate.isSuccess ? <Note kind="success">Thanks: your rating is saved.</Note> : null}
                <div className="actions">
                  <button className="button secondary" type="submit" disabled={rate.isPending}>
                    {r.mine ? "Update rating" : "Rate it"}
                  </button>
                  <span className="muted small">You can rate a product once your company has used it.</span>
                </div>
              </form>
            </div>
          );
        }}
      </Loaded>
    </Card>
  );
}
