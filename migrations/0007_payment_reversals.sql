CREATE TABLE `payment_reversals` (
	`payment_intent_id` text PRIMARY KEY NOT NULL,
	`reason` text NOT NULL,
	`stripe_object_id` text,
	`order_id` text,
	`applied_at` integer,
	`created_at` integer NOT NULL
);
