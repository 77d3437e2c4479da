-- The catalogue of bundles and plans from the first source document. Credits
-- are micro-credits (1 credit = 1,000,000); discounts in basis points. Prices
-- are not stored: they are the base credits at the credit value in force, less
-- the discount (src/billing/pricing.ts).
INSERT INTO billing_catalogue (id, kind, name, interval, credits, bonus_credits, discount_bps, rank, active) VALUES
  ('starter',              'bundle', 'Starter',      NULL,     50000000,    5000000,    0,    1, 1),
  ('professional',         'bundle', 'Professional', NULL,     250000000,   32000000,   0,    2, 1),
  ('enterprise',           'bundle', 'Enterprise',   NULL,     1000000000,  150000000,  0,    3, 1),
  ('startup_monthly',      'plan',   'Startup',      'month',  100000000,   13000000,   500,  1, 1),
  ('professional_monthly', 'plan',   'Professional', 'month',  500000000,   75000000,   750,  2, 1),
  ('enterprise_monthly',   'plan',   'Enterprise',   'month',  1000000000,  175000000,  1000, 3, 1),
  ('startup_annual',       'plan',   'Startup',      'year',   1200000000,  180000000,  1000, 1, 1),
  ('professional_annual',  'plan',   'Professional', 'year',   6000000000,  1050000000, 1200, 2, 1),
  ('enterprise_annual',    'plan',   'Enterprise',   'year',   12000000000, 2400000000, 1500, 3, 1);
