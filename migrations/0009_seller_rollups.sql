CREATE TABLE `payment_reversals` (
	`payment_intent_id` text PRIMARY KEY NOT NULL,
	`reason` text NOT NULL,
	`stripe_object_id` text,
	`order_id` text,
	`applied_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `seller_earnings_days` (
	`seller_company_id` text NOT NULL,
	`product_id` text NOT NULL,
	`product_type` text NOT NULL,
	`sales` integer NOT NULL,
	`refunds` integer NOT NULL,
	`earnings_usd` integer NOT NULL,
	`day` text NOT NULL,
	PRIMARY KEY(`seller_company_id`, `day`, `product_id`, `product_type`)
);
--> statement-breakpoint
CREATE TABLE `seller_earnings_months` (
	`seller_company_id` text NOT NULL,
	`product_id` text NOT NULL,
	`product_type` text NOT NULL,
	`sales` integer NOT NULL,
	`refunds` integer NOT NULL,
	`earnings_usd` integer NOT NULL,
	`period` text NOT NULL,
	PRIMARY KEY(`seller_company_id`, `period`, `product_id`, `product_type`)
);
--> statement-breakpoint
CREATE INDEX `seller_earnings_months_period` ON `seller_earnings_months` (`period`,`seller_company_id`);--> statement-breakpoint
CREATE TABLE `seller_earnings_totals` (
	`seller_company_id` text PRIMARY KEY NOT NULL,
	`sales` integer NOT NULL,
	`refunds` integer NOT NULL,
	`earnings_usd` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `payouts` ADD `claimed_by` text;--> statement-breakpoint
ALTER TABLE `payouts` ADD `claimed_at` integer;--> statement-breakpoint
CREATE INDEX `payouts_period_status` ON `payouts` (`period`,`status`);--> statement-breakpoint
CREATE INDEX `payouts_undelivered` ON `payouts` (`company_id`) WHERE report_key IS NULL OR mailed_at IS NULL;
--> statement-breakpoint
-- Written by hand (drizzle-kit does not generate triggers): what is already in the ledger,
-- then a trigger for every row inserted from now on. A migration is applied as one D1
-- batch (one transaction), so no ledger row lands between the two. The trigger fires only
-- for rows actually inserted: a redelivered row (ON CONFLICT(id) DO NOTHING) adds nothing.
INSERT INTO `seller_earnings_days` (seller_company_id, product_id, product_type, sales, refunds, earnings_usd, day)
SELECT seller_company_id, coalesce(product_id, ''), coalesce(product_type, 'asset'),
  sum(CASE kind WHEN 'charge' THEN 1 ELSE 0 END), sum(CASE kind WHEN 'refund' THEN 1 ELSE 0 END),
  sum(CASE kind WHEN 'charge' THEN coalesce(seller_share_usd, 0) ELSE -coalesce(seller_share_usd, 0) END),
  strftime('%Y-%m-%d', created_at / 1000, 'unixepoch')
FROM `transactions` WHERE seller_company_id IS NOT NULL AND kind IN ('charge', 'refund')
GROUP BY seller_company_id, coalesce(product_id, ''), coalesce(product_type, 'asset'), strftime('%Y-%m-%d', created_at / 1000, 'unixepoch');
--> statement-breakpoint
INSERT INTO `seller_earnings_months` (seller_company_id, product_id, product_type, sales, refunds, earnings_usd, period)
SELECT seller_company_id, coalesce(product_id, ''), coalesce(product_type, 'asset'),
  sum(CASE kind WHEN 'charge' THEN 1 ELSE 0 END), sum(CASE kind WHEN 'refund' THEN 1 ELSE 0 END),
  sum(CASE kind WHEN 'charge' THEN coalesce(seller_share_usd, 0) ELSE -coalesce(seller_share_usd, 0) END),
  strftime('%Y-%m', created_at / 1000, 'unixepoch')
FROM `transactions` WHERE seller_company_id IS NOT NULL AND kind IN ('charge', 'refund')
GROUP BY seller_company_id, coalesce(product_id, ''), coalesce(product_type, 'asset'), strftime('%Y-%m', created_at / 1000, 'unixepoch');
--> statement-breakpoint
INSERT INTO `seller_earnings_totals` (seller_company_id, sales, refunds, earnings_usd)
SELECT seller_company_id, sum(CASE kind WHEN 'charge' THEN 1 ELSE 0 END), sum(CASE kind WHEN 'refund' THEN 1 ELSE 0 END),
  sum(CASE kind WHEN 'charge' THEN coalesce(seller_share_usd, 0) ELSE -coalesce(seller_share_usd, 0) END)
FROM `transactions` WHERE seller_company_id IS NOT NULL AND kind IN ('charge', 'refund')
GROUP BY seller_company_id;
--> statement-breakpoint
CREATE TRIGGER `transactions_seller_rollups` AFTER INSERT ON `transactions`
WHEN NEW.seller_company_id IS NOT NULL AND NEW.kind IN ('charge', 'refund')
BEGIN
  INSERT INTO `seller_earnings_days` (seller_company_id, product_id, product_type, sales, refunds, earnings_usd, day)
  VALUES (NEW.seller_company_id, coalesce(NEW.product_id, ''), coalesce(NEW.product_type, 'asset'),
    CASE NEW.kind WHEN 'charge' THEN 1 ELSE 0 END, CASE NEW.kind WHEN 'refund' THEN 1 ELSE 0 END,
    CASE NEW.kind WHEN 'charge' THEN coalesce(NEW.seller_share_usd, 0) ELSE -coalesce(NEW.seller_share_usd, 0) END,
    strftime('%Y-%m-%d', NEW.created_at / 1000, 'unixepoch'))
  ON CONFLICT (seller_company_id, day, product_id, product_type) DO UPDATE SET
    sales = sales + excluded.sales, refunds = refunds + excluded.refunds, earnings_usd = earnings_usd + excluded.earnings_usd;
  INSERT INTO `seller_earnings_months` (seller_company_id, product_id, product_type, sales, refunds, earnings_usd, period)
  VALUES (NEW.seller_company_id, coalesce(NEW.product_id, ''), coalesce(NEW.product_type, 'asset'),
    CASE NEW.kind WHEN 'charge' THEN 1 ELSE 0 END, CASE NEW.kind WHEN 'refund' THEN 1 ELSE 0 END,
    CASE NEW.kind WHEN 'charge' THEN coalesce(NEW.seller_share_usd, 0) ELSE -coalesce(NEW.seller_share_usd, 0) END,
    strftime('%Y-%m', NEW.created_at / 1000, 'unixepoch'))
  ON CONFLICT (seller_company_id, period, product_id, product_type) DO UPDATE SET
    sales = sales + excluded.sales, refunds = refunds + excluded.refunds, earnings_usd = earnings_usd + excluded.earnings_usd;
  INSERT INTO `seller_earnings_totals` (seller_company_id, sales, refunds, earnings_usd)
  VALUES (NEW.seller_company_id, CASE NEW.kind WHEN 'charge' THEN 1 ELSE 0 END, CASE NEW.kind WHEN 'refund' THEN 1 ELSE 0 END,
    CASE NEW.kind WHEN 'charge' THEN coalesce(NEW.seller_share_usd, 0) ELSE -coalesce(NEW.seller_share_usd, 0) END)
  ON CONFLICT (seller_company_id) DO UPDATE SET
    sales = sales + excluded.sales, refunds = refunds + excluded.refunds, earnings_usd = earnings_usd + excluded.earnings_usd;
END;
