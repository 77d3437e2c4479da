import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { apiKeys, companies } from "./companies";

/**
 * MCP clients a person connected through OAuth (src/mcp/oauth): each got a
 * company key of its own, owned by that person, which is what its tokens
 * act as. Revoking the client revokes the key; whether it is live is the
 * key's `revoked_at`.
 */
export const mcpClients = sqliteTable(
  "mcp_clients",
  {
    id: text("id").primaryKey(),
    companyId: text("company_id").notNull().references(() => companies.id),
    keyId: text("key_id").notNull().references(() => apiKeys.id),
    /** The OAuth client id (dynamic registration) and the name it gave itself, unverified. */
    oauthClientId: text("oauth_client_id").notNull(),
    clientName: text("client_name").notNull(),
    /** Where its tokens were sent: the redirect URI's host, as the consent page showed it. */
    redirectHost: text("redirect_host").notNull(),
    /** The member who approved it. */
    memberId: text("member_id").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("mcp_clients_key").on(t.keyId), index("mcp_clients_company").on(t.companyId)],
);
