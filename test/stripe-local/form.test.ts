import { describe, expect, it } from "vitest";
import { decodeForm } from "../../scripts/stripe-local/form";

describe("the local server's form decoder", () => {
  it("rebuilds nested objects and arrays from bracket notation", () => {
    const form = decodeForm(
      "mode=payment&line_items[0][quantity]=2&line_items[0][price_data][unit_amount]=500" +
        "&line_items[1][price]=price_1&metadata[order]=o%201&expand[]=line_items&expand[]=customer&name=a+b",
    );
    expect(form).toEqual({
      mode: "payment",
      line_items: [{ quantity: "2", price_data: { unit_amount: "500" } }, { price: "price_1" }],
      metadata: { order: "o 1" },
      expand: ["line_items", "customer"],
      name: "a b",
    });
  });

  it("orders indexed arrays numerically and ignores prototype keys", () => {
    const form = decodeForm("items[10]=k&items[2]=c&__proto__[polluted]=1&a[constructor][x]=1");
    expect(form.items).toEqual(["c", "k"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(form.a).toBeUndefined();
  });
});
