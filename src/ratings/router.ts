import { desc, eq } from "drizzle-orm";
import { z } from "zod";
import { getCompany } from "../companies/service";
import { products, ratings } from "../db/schema";
import { productId } from "../products/schema";
import { getVisibleProduct } from "../products/service";
import { companyProcedure, router, writeProcedure } from "../trpc/trpc";
import { badgesFor, badgesFrom, reputationOf } from "./badges";
import { ownRating, productRatings, rateProduct, summary, type Rating } from "./service";

function ratingView(r: Rating) {
  return { productId: r.productId, stars: r.stars, review: r.review, createdAt: r.createdAt, updatedAt: r.updatedAt };
}

const page = { limit: z.number().int().min(1).max(100).default(20), offset: z.number().int().min(0).max(10_000).default(0) };

/** Buyers rate what they used; everyone sees ratings, reviews, badges and company profiles. */
export const ratingsRouter = router({
  /** Rates a product the company has processed or called: 1 to 5 stars; again to change it. */
  rate: writeProcedure
    .input(z.object({ productId, stars: z.number().int().min(1).max(5), review: z.string().trim().max(2000).optional() }))
    .mutation(async ({ ctx, input }) =>
      ratingView(
        await rateProduct(ctx.db, { companyId: ctx.caller.companyId, productId: input.productId, stars: input.stars, review: input.review || null }, () =>
          ctx.wallet(ctx.caller.companyId).hasUsed(input.productId),
        ),
      ),
    ),

  /** A listed (or own) product's ratings and reviews, its seller's badges, and the caller's own rating. */
  forProduct: companyProcedure.input(z.object({ productId, ...page })).query(async ({ ctx, input }) => {
    const { product, sellerName } = await getVisibleProduct(ctx.db, ctx.caller.companyId, input.productId);
    const [summary, badges, mine] = await Promise.all([
      productRatings(ctx.db, product.id, input),
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

  /** The caller's ratings, newest first. */
  mine: companyProcedure.input(z.object(page).default({ limit: 20, offset: 0 })).query(async ({ ctx, input }) =>
    ctx.db
      .select({ productId: ratings.productId, productName: products.name, stars: ratings.stars, review: ratings.review, updatedAt: ratings.updatedAt })
      .from(ratings)
      .innerJoin(products, eq(products.id, ratings.productId))
      .where(eq(ratings.companyId, ctx.caller.companyId))
      .orderBy(desc(ratings.updatedAt))
      .limit(input.limit)
      .offset(input.offset),
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
