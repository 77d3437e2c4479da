import { z } from "zod";
import { splitList } from "../../components/forms";

// The listing's fields as people write them, around the products procedures' own schemas (src/products/schema.ts):
// tags and top questions are text split into the schema's lists, an empty category is none.

/** Text split into a list the schema checks; an entry's refusal names the entry, on the one box. */
export const listBox = (list: z.ZodType, what: string, by?: RegExp) =>
  z.string().transform((text, ctx) => {
    const parsed = list.safeParse(splitList(text, by));
    if (parsed.success) return parsed.data as string[];
    for (const issue of parsed.error.issues) {
      const at = typeof issue.path[0] === "number" ? `${what} ${issue.path[0] + 1}: ` : "";
      ctx.addIssue({ code: "custom", message: `${at}${issue.message}` });
    }
    return z.NEVER;
  });

/** A category box: empty is no category. */
export const categoryBox = (category: z.ZodType<string | null, string | null>) => z.string().transform((text) => text.trim() || null).pipe(category);
