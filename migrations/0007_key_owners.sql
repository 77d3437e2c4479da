ALTER TABLE `api_keys` ADD `member_id` text;--> statement-breakpoint
ALTER TABLE `api_keys` ADD `created_by` text;--> statement-breakpoint
CREATE INDEX `api_keys_member` ON `api_keys` (`member_id`);--> statement-breakpoint
-- Each company's sign-up key is how a company made through the API manages its people: it becomes a company admin key. Other existing keys stay as they are (full keys no longer manage people).
UPDATE `api_keys` SET `scope` = 'company_admin' WHERE `scope` = 'full' AND `name` = 'Default key' AND `company_id` != 'platform' AND `created_at` = (SELECT MIN(k.`created_at`) FROM `api_keys` k WHERE k.`company_id` = `api_keys`.`company_id`);
