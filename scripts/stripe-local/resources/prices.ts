import type Stripe from "stripe";
import { now, type Interval } from "../clock.ts";
import { invalidParam, noSuch } from "../errors.ts";
import type { FormObject } from "../form.ts";
import { newId } from "../ids.ts";
import { newestFirst, page } from "../list.ts";
import {
  mergeMetadata,
  optionalArray,
  optionalBoolean,
  optionalEnum,
  optionalInteger,
  optionalObject,
  optionalString,
  requiredInteger,
  requiredString,
} from "../params.ts";
import type { Platform } from "../platform.ts";
import { api } from "../router.ts";
import type { PriceWire, Wire } from "../types.ts";
import { createProduct, getProduct } from "./products.ts";

const intervals = ["day", "week", "month", "year"] as const;

/**
 * A price from `POST /v1/prices` or from Checkout's inline `price_data`
 * (`prefix` is then e.g. `line_items[0][price_data]`, and the price is inactive).
 */
export function createPrice(platform: Platform, params: FormObject, prefix = ""): PriceWire {
  const path = (key: string) => (prefix ? `${prefix}[${key}]` : key);
  const currency = requiredString(params, "currency", path("currency")).toLowerCase();
  if (!/^[a-z]{3}$/.test(currency)) throw invalidParam(path("currency"), `Invalid currency: ${currency}`);
  const unitAmount = requiredInteger(params, "unit_amount", path("unit_amount"));
  if (unitAmount < 0) throw invalidParam(path("unit_amount"), "Invalid unit_amount: must be at least 0");

  let product = optionalString(params, "product", path("product"));
  if (product) getProduct(platform, product, path("product"));
  else {
    const productData = optionalObject(params, "product_data", path("product_data"));
    if (!productData) throw invalidParam(prefix || "product", "You must specify either `product` or `product_data` when creating a price.", "parameter_missing");
    product = createProduct(platform, productData, path("product_data")).id;
  }

  const recurringParams = optionalObject(params, "recurring", path("recurring"));
  let recurring: PriceWire["recurring"] = null;
  if (recurringParams) {
    const interval = optionalEnum(recurringParams, "interval", intervals, `${path("recurring")}[interval]`);
    if (!interval) throw invalidParam(`${path("recurring")}[interval]`, `Missing required param: ${path("recurring")}[interval].`, "parameter_missing");
    const count = optionalInteger(recurringParams, "interval_count", `${path("recurring")}[interval_count]`) ?? 1;
    recurring = { interval, interval_count: count, meter: null, trial_period_days: null, usage_type: "licensed" };
  }

  const price: PriceWire = {
    id: newId("price_"),
    object: "price",
    active: prefix ? false : (optionalBoolean(params, "active") ?? true),
    billing_scheme: "per_unit",
    created: now(),
    currency,
    custom_unit_amount: null,
    livemode: false,
    lookup_key: optionalString(params, "lookup_key", path("lookup_key")) ?? null,
    metadata: mergeMetadata({}, params),
    nickname: optionalString(params, "nickname", path("nickname")) ?? null,
    product,
    recurring,
    tax_behavior: "unspecified",
    tiers_mode: null,
    transform_quantity: null,
    type: recurring ? "recurring" : "one_time",
    unit_amount: unitAmount,
    unit_amount_decimal: String(unitAmount),
  };
  if (price.lookup_key && optionalBoolean(params, "transfer_lookup_key") === true) {
    for (const other of platform.prices.values()) if (other.lookup_key === price.lookup_key) other.lookup_key = null;
  } else if (price.lookup_key && [...platform.prices.values()].some((other) => other.lookup_key === price.lookup_key)) {
    throw invalidParam("lookup_key", `A price (${price.lookup_key}) already uses that lookup key.`);
  }
  platform.prices.set(price.id, price);
  return price;
}

export function getPrice(platform: Platform, id: string, param = "id"): PriceWire {
  const price = platform.prices.get(id);
  if (!price) throw noSuch("price", id, param);
  return price;
}

/** A subscription item's legacy `plan`, which Stripe derives from its price. */
export function planOf(price: PriceWire): Wire<Stripe.Plan> {
  const recurring = price.recurring;
  return {
    id: price.id,
    object: "plan",
    active: price.active,
    amount: price.unit_amount,
    amount_decimal: price.unit_amount_decimal,
    billing_scheme: "per_unit",
    created: price.created,
    currency: price.currency,
    interval: recurring?.interval ?? "month",
    interval_count: recurring?.interval_count ?? 1,
    livemode: false,
    metadata: price.metadata,
    meter: null,
    nickname: price.nickname,
    product: price.product,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: null,
    usage_type: "licensed",
  };
}

export function intervalOf(price: PriceWire): { interval: Interval; count: number } {
  return { interval: price.recurring?.interval as Interval, count: price.recurring?.interval_count ?? 1 };
}

export const priceRoutes = [
  api("POST", "/v1/prices", ({ platform, body }) => createPrice(platform, body)),
  api("GET", "/v1/prices/:id", ({ platform, params }) => getPrice(platform, params.id!)),
  api("GET", "/v1/prices", ({ platform, body }) => {
    const lookupKeys = optionalArray(body, "lookup_keys");
    const active = optionalBoolean(body, "active");
    const product = optionalString(body, "product");
    const prices = [...platform.prices.values()].filter(
      (price) =>
        (!lookupKeys || lookupKeys.includes(price.lookup_key ?? "")) &&
        (active === undefined || price.active === active) &&
        (!product || price.product === product),
    );
    return page(newestFirst(prices), "/v1/prices", body);
  }),
];
