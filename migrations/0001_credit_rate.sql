-- 1 credit = $0.50 and a platform fee of 20%, in force from the start.
INSERT INTO credit_rates (effective_at, usd_per_credit, platform_fee_bps) VALUES (0, 500000, 2000);
