CREATE TABLE `auto_refill_settings` (
	`company_id` text PRIMARY KEY NOT NULL,
	`enabled` integer DEFAULT false NOT NULL,
	`threshold_credits` integer NOT NULL,
	`refill_credits` integer,
	`refill_bundle_id` text,
	`consecutive_failures` integer DEFAULT 0 NOT NULL,
	`last_failure_reason` text,
	`last_failure_at` integer,
	`disabled_reason` text,
	`last_refill_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `billing_catalogue` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`interval` text,
	`credits` integer NOT NULL,
	`bonus_credits` integer DEFAULT 0 NOT NULL,
	`discount_bps` integer DEFAULT 0 NOT NULL,
	`rank` integer NOT NULL,
	`active` integer DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE `billing_customers` (
	`company_id` text PRIMARY KEY NOT NULL,
	`stripe_customer_id` text NOT NULL,
	`payment_method_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `billing_customers_stripe_customer_id_unique` ON `billing_customers` (`stripe_customer_id`);--> statement-breakpoint
CREATE TABLE `billing_subscriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`plan_id` text NOT NULL,
	`scheduled_plan_id` text,
	`status` text NOT NULL,
	`stripe_item_id` text,
	`current_period_start` integer,
	`current_period_end` integer,
	`cancel_at_period_end` integer DEFAULT false NOT NULL,
	`order_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `billing_subscriptions_company` ON `billing_subscriptions` (`company_id`);--> statement-breakpoint
CREATE TABLE `credit_orders` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`kind` text NOT NULL,
	`catalogue_id` text,
	`credits` integer NOT NULL,
	`bonus_credits` integer DEFAULT 0 NOT NULL,
	`price_cents` integer NOT NULL,
	`discount_bps` integer DEFAULT 0 NOT NULL,
	`usd_per_credit` integer NOT NULL,
	`status` text NOT NULL,
	`stripe_checkout_session_id` text,
	`stripe_payment_intent_id` text,
	`stripe_subscription_id` text,
	`stripe_invoice_id` text,
	`deposit_id` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`failure_reason` text,
	`reversed_credits` integer,
	`reversal_shortfall` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`paid_at` integer
);
--> statement-breakpoint
CREATE INDEX `credit_orders_company_time` ON `credit_orders` (`company_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `credit_orders_invoice` ON `credit_orders` (`stripe_invoice_id`);--> statement-breakpoint
CREATE INDEX `credit_orders_payment_intent` ON `credit_orders` (`stripe_payment_intent_id`);--> statement-breakpoint
CREATE INDEX `credit_orders_session` ON `credit_orders` (`stripe_checkout_session_id`);--> statement-breakpoint
CREATE TABLE `low_balance_alert_settings` (
	`company_id` text PRIMARY KEY NOT NULL,
	`webhook_url` text NOT NULL,
	`signing_secret` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `low_balance_alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`threshold_credits` integer NOT NULL,
	`available_credits` integer NOT NULL,
	`url` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`http_status` integer,
	`error` text,
	`created_at` integer NOT NULL,
	`delivered_at` integer
);
--> statement-breakpoint
CREATE INDEX `low_balance_alerts_company_time` ON `low_balance_alerts` (`company_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `stripe_prices` (
	`lookup_key` text PRIMARY KEY NOT NULL,
	`stripe_price_id` text NOT NULL,
	`catalogue_id` text NOT NULL,
	`unit_amount_cents` integer NOT NULL,
	`usd_per_credit` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `stripe_prices_stripe_price_id_unique` ON `stripe_prices` (`stripe_price_id`);