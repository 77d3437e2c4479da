export * from "./companies";
export * from "./ledger";
export * from "./data";
export * from "./products";
