CREATE TABLE `connect_accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`details_submitted` integer DEFAULT false NOT NULL,
	`payouts_enabled` integer DEFAULT false NOT NULL,
	`requirements_due` text DEFAULT '[]' NOT NULL,
	`synced_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`disconnected_at` integer,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `connect_accounts_live` ON `connect_accounts` (`company_id`) WHERE disconnected_at IS NULL;--> statement-breakpoint
CREATE INDEX `connect_accounts_company` ON `connect_accounts` (`company_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `disputes` (
	`id` text PRIMARY KEY NOT NULL,
	`buyer_company_id` text NOT NULL,
	`transaction_id` text NOT NULL,
	`request_id` text NOT NULL,
	`product_id` text NOT NULL,
	`product_type` text NOT NULL,
	`seller_company_id` text NOT NULL,
	`credits` integer NOT NULL,
	`gross_usd` integer NOT NULL,
	`seller_share_usd` integer NOT NULL,
	`platform_fee_usd` integer NOT NULL,
	`usd_per_credit` integer NOT NULL,
	`reason` text NOT NULL,
	`status` text NOT NULL,
	`resolution_note` text,
	`refund_entry_id` text,
	`resolved_by` text,
	`created_at` integer NOT NULL,
	`resolved_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `disputes_transaction` ON `disputes` (`transaction_id`);--> statement-breakpoint
CREATE INDEX `disputes_status` ON `disputes` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `disputes_buyer` ON `disputes` (`buyer_company_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `mail_outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`transport` text NOT NULL,
	`from` text NOT NULL,
	`to` text NOT NULL,
	`subject` text NOT NULL,
	`text` text NOT NULL,
	`attachments` text DEFAULT '[]' NOT NULL,
	`message_id` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `mail_outbox_to` ON `mail_outbox` (`to`,`created_at`);--> statement-breakpoint
CREATE TABLE `payout_lines` (
	`payout_id` text NOT NULL,
	`product_id` text NOT NULL,
	`product_type` text NOT NULL,
	`product_name` text NOT NULL,
	`sales` integer NOT NULL,
	`refunds` integer NOT NULL,
	`earnings_usd` integer NOT NULL,
	PRIMARY KEY(`payout_id`, `product_id`)
);
--> statement-breakpoint
CREATE TABLE `payouts` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`period` text NOT NULL,
	`period_start` integer NOT NULL,
	`period_end` integer NOT NULL,
	`status` text NOT NULL,
	`earnings_usd` integer NOT NULL,
	`carried_in_usd` integer NOT NULL,
	`amount_usd` integer NOT NULL,
	`carried_out_usd` integer NOT NULL,
	`stripe_account_id` text,
	`transfer_id` text,
	`attempt` integer DEFAULT 1 NOT NULL,
	`failure_code` text,
	`failure_message` text,
	`report_key` text,
	`mailed_at` integer,
	`run_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`paid_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payouts_company_period` ON `payouts` (`company_id`,`period`);--> statement-breakpoint
CREATE INDEX `payouts_status` ON `payouts` (`status`);--> statement-breakpoint
CREATE TABLE `ratings` (
	`product_id` text NOT NULL,
	`company_id` text NOT NULL,
	`stars` integer NOT NULL,
	`review` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`product_id`, `company_id`)
);
--> statement-breakpoint
CREATE INDEX `ratings_company` ON `ratings` (`company_id`);