export {
  callOrigin,
  DEFAULT_ORIGIN_TIMEOUT_MS,
  MAX_ORIGIN_TIMEOUT_MS,
  type OriginCallOptions,
  type OriginFetch,
  type OriginParams,
  type OriginRows,
  type OriginValue,
} from "./call";
export { createOrigin, type CreateOriginInput } from "./create";
export { originParams } from "./params";
export { originSecretContext, signOriginRequest, verifyOriginSignature } from "./sign";
export { checkOriginUrl, refusedDestinationMessage } from "./url";
