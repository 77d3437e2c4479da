import { DurableObject } from "cloudflare:workers";

/** The company's wallet: the single writer of its credits. (Being built.) */
export class Wallet extends DurableObject<Env> {}
