export * from "./companies";
export * from "./ledger";
