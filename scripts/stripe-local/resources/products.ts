import { now } from "../clock.ts";
import { noSuch } from "../errors.ts";
import type { FormObject } from "../form.ts";
import { newId } from "../ids.ts";
import { mergeMetadata, optionalBoolean, optionalString, requiredString } from "../params.ts";
import type { Platform } from "../platform.ts";
import { api } from "../router.ts";
import type { ProductWire } from "../types.ts";

/** `prefix` names the parameter in errors when the product comes from `product_data`. */
export function createProduct(platform: Platform, params: FormObject, prefix = ""): ProductWire {
  const path = (key: string) => (prefix ? `${prefix}[${key}]` : key);
  const created = now();
  const product: ProductWire = {
    id: newId("prod_", 14),
    object: "product",
    active: optionalBoolean(params, "active", path("active")) ?? true,
    created,
    default_price: null,
    description: optionalString(params, "description", path("description")) ?? null,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: mergeMetadata({}, params),
    name: requiredString(params, "name", path("name")),
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    tax_details: null,
    type: "service",
    unit_label: null,
    updated: created,
    url: null,
  };
  platform.products.set(product.id, product);
  return product;
}

export function getProduct(platform: Platform, id: string, param = "id"): ProductWire {
  const product = platform.products.get(id);
  if (!product) throw noSuch("product", id, param);
  return product;
}

export const productRoutes = [
  api("POST", "/v1/products", ({ platform, body }) => createProduct(platform, body)),
  api("GET", "/v1/products/:id", ({ platform, params }) => getProduct(platform, params.id!)),
];
