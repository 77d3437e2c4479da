import { z } from "zod";
import { listCursor, listInput, paged, timeAndId } from "../../paging";
import { memberAdminProcedure, router } from "../../trpc/trpc";
import { listClients, revokeClient } from "./clients";

const clientCursor = listCursor("mcp_clients", timeAndId);

/** `mcp.*`: the MCP clients people connected through OAuth, for company admins. */
export const mcpRouter = router({
  /** Connected clients, newest first: name, where tokens go, scope, who approved, live or revoked, spending and caps. */
  clients: memberAdminProcedure.input(listInput({}, 50, 100)).query(({ ctx, input }) =>
    paged(input, clientCursor, (after, limit) => listClients(ctx, ctx.caller.companyId, { limit, after }), (c) => [c.createdAt, c.id] as [number, string]),
  ),

  /** Disconnects a client: its key is revoked (effective on the next call) and its grant removed. */
  revokeClient: memberAdminProcedure.input(z.object({ id: z.string().min(1).max(100) })).mutation(async ({ ctx, input }) => {
    await revokeClient(ctx, ctx.caller, input.id);
    return { id: input.id, revoked: true };
  }),
});
