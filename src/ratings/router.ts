import { z } from "zod";
import { getCompany } from "../companies/service";
import { productId } from "../products/schema";
import { getVisibleProduct } from "../products/service";
import { companyProcedure, router, writeProcedure } from "../trpc/trpc";
import { rateInput } from "./schema";
import { badgesFor, badgesFrom, reputationOf } from "./badges";
import { ownRating, productRatings, productReviews, rateProduct, ratingsBy, summary, type Rating } from "./service";
import { listCursor, listInput, paged, timeAndId } from "../paging";

function ratingView(r: Rating) {
  return { productId: r.productId, stars: r.stars, review: r.review, createdAt: r.createdAt, updatedAt: r.updatedAt };
}

const reviewCursor = listCursor("reviews", timeAndId);
const ownRatingCursor = listCursor("own_ratings", timeAndId);

/** Buyers rate what they used; everyone sees ratings, reviews, badges and company profiles. */
export const ratingsRouter = router({
  /** Rates a product the company has processed or called: 1 to 5 stars; again to change it. */
  rate: writeProcedure
    .input(rateInput)
    .mutation(async ({ ctx, input }) =>
      ratingView(
        await rateProduct(ctx.db, { companyId: ctx.caller.companyId, productId: input.productId, stars: input.stars, review: input.review || null }, () =>
          ctx.wallet(ctx.caller.companyId).hasUsed(input.productId),
        ),
      ),
    ),

  /** A listed (or own) product's ratings (average, count, how many of each star), its seller's badges, and the caller's own rating. */
  forProduct: companyProcedure.input(z.object({ productId })).query(async ({ ctx, input }) => {
    const { product, sellerName } = await getVisibleProduct(ctx.db, ctx.caller.companyId, input.productId);
    const [summary, badges, mine] = await Promise.all([
      productRatings(ctx.db, product.id),
      badgesFor(ctx.db, [product.sellerCompanyId]),
      ownRating(ctx.db, ctx.caller.companyId, product.id),
    ]);
    return {
      productId: product.id,
      ...summary,
      seller: { id: product.sellerCompanyId, name: sellerName, badges: badges.get(product.sellerCompanyId) ?? [] },
      mine: mine ? ratingView(mine) : null,
    };
  }),

  /** A listed (or own) product's ratings one by one, with their reviews, latest first. */
  reviews: companyProcedure.input(listInput({ productId }, 20, 100)).query(async ({ ctx, input }) => {
    const { product } = await getVisibleProduct(ctx.db, ctx.caller.companyId, input.productId);
    return paged(input, reviewCursor, (after, limit) => productReviews(ctx.db, product.id, { limit, after }), (r) => [r.updatedAt, r.companyId] as [number, string]);
  }),

  /** The caller's ratings, latest first. */
  mine: companyProcedure.input(listInput({}, 20, 100)).query(({ ctx, input }) =>
    paged(input, ownRatingCursor, (after, limit) => ratingsBy(ctx.db, ctx.caller.companyId, { limit, after }), (r) => [r.updatedAt, r.productId] as [number, string]),
  ),

  /** A company's public profile: name, roles, badges, and how its listings are rated. */
  profile: companyProcedure.input(z.object({ companyId: z.string().min(1).max(100) })).query(async ({ ctx, input }) => {
    const company = await getCompany(ctx.db, input.companyId);
    const rep = (await reputationOf(ctx.db, [company.id])).get(company.id)!;
    // Ratings of the products listed now, all together.
    const count = rep.byCategory.reduce((sum, c) => sum + c.ratings, 0);
    const total = rep.byCategory.reduce((sum, c) => sum + c.starsTotal, 0);
    return {
      id: company.id,
      name: company.name,
      isBuyer: company.isBuyer,
      isSeller: company.isSeller,
      memberSince: company.createdAt,
      badges: badgesFrom(rep),
      listings: rep.listings,
      rating: summary(total, count),
    };
  }),
});
