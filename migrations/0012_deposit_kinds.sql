-- The deposit kinds take the glossary's names: credits bought by card are `top_up`
-- (was `purchase`), a plan period's credits are `plan` (was `subscription`).
-- Each wallet renames its own entries when it starts (src/wallet/schema.ts);
-- rows still on the feed are renamed as they land (src/feed/consumer.ts).
UPDATE `transactions` SET `kind` = 'top_up' WHERE `kind` = 'purchase';--> statement-breakpoint
UPDATE `transactions` SET `kind` = 'plan' WHERE `kind` = 'subscription';
