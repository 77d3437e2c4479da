export * from "./companies";
export * from "./ledger";
export * from "./data";
export * from "./products";
export * from "./billing";
export * from "./payouts";
export * from "./members";
export * from "./earnings";
