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
CREATE TABLE `transactions` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`seq` integer NOT NULL,
	`kind` text NOT NULL,
	`operation_id` text NOT NULL,
	`amount` integer NOT NULL,
	`balance_after` integer NOT NULL,
	`product_id` text,
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
CREATE INDEX `transactions_seller_time` ON `transactions` (`seller_company_id`,`created_at`);