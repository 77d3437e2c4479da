DROP TABLE `idempotent_responses`;--> statement-breakpoint
DROP TABLE `purchases`;--> statement-breakpoint
DROP INDEX `product_prices_product`;--> statement-breakpoint
CREATE UNIQUE INDEX `product_prices_product` ON `product_prices` (`product_id`,`effective_at`);--> statement-breakpoint
ALTER TABLE `products` ADD `version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `request_logs` ADD `channel` text DEFAULT 'api' NOT NULL;