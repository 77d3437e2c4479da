import { z } from "zod";
import { memberAdminProcedure, router } from "../../trpc/trpc";
import { listClients, revokeClient } from "./clients";

/** `mcp.*`: the MCP clients people connected through OAuth, for company admins. */
export const mcpRouter = router({
  /** Connected clients, newest first: name, where tokens go, scope, who approved, live or revoked, spending and caps. */
  clients: memberAdminProcedure.query(({ ctx }) => listClients(ctx, ctx.caller.companyId)),

  /** Disconnects a client: its key is revoked (effective on the next call) and its grant removed. */
  revokeClient: memberAdminProcedure.input(z.object({ id: z.string().min(1).max(100) })).mutation(async ({ ctx, input }) => {
    await revokeClient(ctx, ctx.caller, input.id);
    return { id: input.id, revoked: true };
  }),
});
