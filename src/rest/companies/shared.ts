import { z } from "@hono/zod-openapi";
import type { CodeMeanings } from "../schemas";

export const companyParams = z.object({ companyId: z.string().openapi({ description: "Your own company's id." }) });

/** What every company read can answer: a key that isn't one, or a company that isn't yours. */
export const companyErrors: CodeMeanings = {
  UNAUTHORIZED: "no key or an unknown one.",
  KEY_REVOKED: "the key was revoked.",
  NOT_FOUND: "no such company, or not yours (another company's id answers the same).",
};
