ALTER TABLE `payouts` ADD `claimed_by` text;--> statement-breakpoint
ALTER TABLE `payouts` ADD `claimed_at` integer;