import { getCompany } from "../../companies/service";
import { TesseraError } from "../../errors";
import { callerOf } from "../../members/caller";
import { restRouter } from "../router";
import { credits } from "./credits";
import { earnings } from "./earnings";
import { payoutReport } from "./payout-report";

/** The company reads of the source documents: `/companies/:companyId/credits`, `/earnings`, a payout's report. */
export const companies = restRouter();

companies.use("/:companyId/*", async (c, next) => {
  const caller = await callerOf(c.var.services.db, c.req.raw, c.req.header("x-api-key"), c.env.KEY_SECRET);
  // Another company's id: the same answer as for an id that doesn't exist.
  const companyId = c.req.param("companyId");
  if (caller.scope === "admin") await getCompany(c.var.services.db, companyId);
  else if (caller.companyId !== companyId) throw new TesseraError("NOT_FOUND", `No company ${companyId}.`);
  await next();
});

companies.route("/", credits);
companies.route("/", earnings);
companies.route("/", payoutReport);
