/**
 * OAuth 2.1 for MCP clients, on @cloudflare/workers-oauth-provider, in its
 * two roles in this one Worker: the authorization server (discovery, dynamic
 * client registration, the token endpoint; grants and tokens in the
 * OAUTH_KV namespace, hashed, their props encrypted) and the resource
 * server in front of `/mcp` (the 401 challenge, RFC 9728 metadata, token
 * validation). The authorization endpoint is Tessera's own consent page
 * (consent.ts).
 *
 * A grant's props name the company key made for the client when a person
 * approved it (clients.ts); a token is never more than that key.
 */
import { OAuthAuthorizationServer, OAuthResourceServer } from "@cloudflare/workers-oauth-provider";
import type { KeyScope } from "../../db/schema";
import { services } from "../../services";
import { mcpResponse } from "../server";

/** What a grant carries: the client's own company key. */
export interface GrantProps {
  keyId: string;
  companyId: string;
  scope: Extract<KeyScope, "read" | "full">;
}

/** The scopes a person can grant a client: those of the key it gets. */
export const OAUTH_SCOPES = ["read", "full"] as const;

export function issuer(env: Pick<Env, "PUBLIC_URL">): string {
  return new URL(env.PUBLIC_URL).origin;
}

export function mcpResource(env: Pick<Env, "PUBLIC_URL">): string {
  return `${issuer(env)}/mcp`;
}

export function protectedResourceMetadataUrl(env: Pick<Env, "PUBLIC_URL">): string {
  return `${issuer(env)}/.well-known/oauth-protected-resource/mcp`;
}

interface Roles {
  authorization: OAuthAuthorizationServer<Env>;
  resource: OAuthResourceServer<Env, GrantProps>;
}

/** Built once per isolate and public URL: the options are fixed, the state is in KV. */
const roles = new Map<string, Roles>();

function rolesFor(env: Env): Roles {
  const at = issuer(env);
  let built = roles.get(at);
  if (built) return built;
  const authorization = new OAuthAuthorizationServer<Env>({
    issuer: at,
    resources: [mcpResource(env)],
    authorizeEndpoint: `${at}/oauth/authorize`,
    tokenEndpoint: `${at}/oauth/token`,
    clientRegistrationEndpoint: `${at}/oauth/register`,
    scopesSupported: [...OAUTH_SCOPES],
    accessTokenTTL: 3600,
  });
  const resource = new OAuthResourceServer<Env, GrantProps>({
    resourceMetadata: {
      resource: mcpResource(env),
      authorization_servers: [at],
      bearer_methods_supported: ["header"],
      resource_name: "Tessera marketplace (MCP)",
    },
    validateToken: (e) => (audience, token) => authorization.validateToken<GrantProps>(audience, token, e),
    handler: {
      fetch: (request, e, ctx) => {
        const { keyId, companyId, scope } = ctx.props;
        return mcpResponse(services(e), { keyId, companyId, scope, via: "oauth" }, request, (p) => ctx.waitUntil(p));
      },
    },
  });
  built = { authorization, resource };
  roles.set(at, built);
  return built;
}

export function authorizationServer(env: Env): OAuthAuthorizationServer<Env> {
  return rolesFor(env).authorization;
}

export function resourceServer(env: Env): OAuthResourceServer<Env, GrantProps> {
  return rolesFor(env).resource;
}
