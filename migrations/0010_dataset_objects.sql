ALTER TABLE `data_sources` ADD `status` text;--> statement-breakpoint
UPDATE `data_sources` SET `status` = 'ready' WHERE `kind` = 'dataset';--> statement-breakpoint
ALTER TABLE `data_sources` DROP COLUMN `table_name`;
