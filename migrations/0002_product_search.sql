-- Marketplace search (src/products/search.ts). Drizzle has no FTS5 tables, so
-- this one is written by hand; the app keeps it in step with products.
CREATE VIRTUAL TABLE products_fts USING fts5(
  product_id UNINDEXED,
  name,
  description,
  tags,
  top_questions,
  tokenize = "unicode61 remove_diacritics 2"
);
