CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`name` text NOT NULL,
	`prefix` text NOT NULL,
	`hash` text NOT NULL,
	`scope` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash` ON `api_keys` (`hash`);--> statement-breakpoint
CREATE INDEX `api_keys_company` ON `api_keys` (`company_id`);--> statement-breakpoint
CREATE TABLE `companies` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`is_buyer` integer DEFAULT true NOT NULL,
	`is_seller` integer DEFAULT false NOT NULL,
	`billing_email` text,
	`can_sell` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `credit_rates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`effective_at` integer NOT NULL,
	`usd_per_credit` integer NOT NULL,
	`platform_fee_bps` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `data_sources` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`table_name` text,
	`row_count` integer,
	`columns` text,
	`size_bytes` integer,
	`url` text,
	`secret` text,
	`timeout_ms` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `data_sources_company` ON `data_sources` (`company_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `transactions` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`seq` integer NOT NULL,
	`kind` text NOT NULL,
	`operation_id` text NOT NULL,
	`amount` integer NOT NULL,
	`balance_after` integer NOT NULL,
	`product_id` text,
	`product_type` text,
	`seller_company_id` text,
	`gross_usd` integer,
	`seller_share_usd` integer,
	`platform_fee_usd` integer,
	`usd_per_credit` integer NOT NULL,
	`reason` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `transactions_company_time` ON `transactions` (`company_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `transactions_seller_time` ON `transactions` (`seller_company_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `endpoint_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`endpoint_id` text NOT NULL,
	`buyer_company_id` text NOT NULL,
	`prefix` text NOT NULL,
	`hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	`revoked_by` text,
	FOREIGN KEY (`endpoint_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`buyer_company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `endpoint_keys_hash` ON `endpoint_keys` (`hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `endpoint_keys_live` ON `endpoint_keys` (`endpoint_id`,`buyer_company_id`) WHERE revoked_at IS NULL;--> statement-breakpoint
CREATE INDEX `endpoint_keys_buyer` ON `endpoint_keys` (`buyer_company_id`);--> statement-breakpoint
CREATE TABLE `idempotent_responses` (
	`key_id` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`request_hash` text NOT NULL,
	`request_id` text NOT NULL,
	`status` integer NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`key_id`, `idempotency_key`)
);
--> statement-breakpoint
CREATE TABLE `library` (
	`company_id` text NOT NULL,
	`product_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`company_id`, `product_id`)
);
--> statement-breakpoint
CREATE TABLE `product_prices` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`product_id` text NOT NULL,
	`price_usd` integer NOT NULL,
	`effective_at` integer NOT NULL,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `product_prices_product` ON `product_prices` (`product_id`,`effective_at`);--> statement-breakpoint
CREATE TABLE `products` (
	`id` text PRIMARY KEY NOT NULL,
	`seller_company_id` text NOT NULL,
	`type` text NOT NULL,
	`asset_kind` text,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`category` text,
	`documentation` text DEFAULT '' NOT NULL,
	`top_questions` text DEFAULT '[]' NOT NULL,
	`data_source_id` text NOT NULL,
	`spec` text NOT NULL,
	`preview` text,
	`price_usd` integer DEFAULT 0 NOT NULL,
	`sell_in_marketplace` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`seller_company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `products_seller` ON `products` (`seller_company_id`);--> statement-breakpoint
CREATE TABLE `purchases` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`product_id` text NOT NULL,
	`result` text NOT NULL,
	`credits` integer NOT NULL,
	`price_usd` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `purchases_company` ON `purchases` (`company_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `request_logs` (
	`id` text PRIMARY KEY NOT NULL,
	`key_id` text,
	`company_id` text,
	`product_id` text,
	`seller_company_id` text,
	`method` text NOT NULL,
	`status` integer NOT NULL,
	`error_code` text,
	`rows` integer,
	`billed` integer NOT NULL,
	`credits` integer NOT NULL,
	`duration_ms` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `request_logs_company` ON `request_logs` (`company_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `request_logs_product` ON `request_logs` (`product_id`,`created_at`);