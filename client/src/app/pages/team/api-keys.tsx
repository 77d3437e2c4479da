import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createKeyInput } from "../../../../../src/companies/schema";
import { api } from "../../api";
import { ConfirmButton } from "../../components/dialog";
import { CapsButton, KeyUsageLine } from "../../components/key-caps";
import { Pager, usePaged } from "../../components/paging";
import { CodeLine, FormError, FormField, showServerError, useSchemaForm } from "../../components/forms";
import { Badge, Card, Empty, ErrorNote, Loaded, Note, Page } from "../../components/page";
import { formatDate } from "../../format";
import { useSignedIn } from "../../session";

/** Company API keys: for scripts and servers calling the management API (tRPC) and the company REST reads. */
export function ApiKeys() {
  const session = useSignedIn();
  const qc = useQueryClient();
  const { query: keys, pager } = usePaged(["keys.list"], (cursor) => api.keys.list.query({ cursor }));
  const isAdmin = session.member.role === "admin";
  // The procedure's own schema (src/companies/schema.ts); a scope above the maker's is refused on its field.
  const form = useSchemaForm(createKeyInput, { name: "", scope: "full" });
  const create = useMutation({
    mutationFn: (values: typeof createKeyInput._zod.input) => api.keys.create.mutate(values),
    onSuccess: () => {
      form.reset({ name: "", scope: form.getValues("scope") });
      void qc.invalidateQueries({ queryKey: ["keys.list"] });
    },
    onError: (error) => showServerError(form, error),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api.keys.revoke.mutate({ id }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["keys.list"] }),
  });
  return (
    <Page
      title="API keys"
      lead={`Keys for your own scripts and servers. A key you make is yours: it has at most your power and is revoked if you leave the company.${session.company.isBuyer ? " Endpoint keys for marketplace data are separate (Buy → Endpoint keys)." : ""}`}
    >
      <Card title="New key">
        <form className="inline-form" noValidate onSubmit={form.handleSubmit((values) => create.mutate(values))}>
          <FormField form={form} name="name" label="Name">
            {(control) => <input placeholder="Reporting job" {...control} />}
          </FormField>
          <FormField form={form} name="scope" label="Scope">
            {(control) => (
              <select {...control}>
                <option value="full">Full: may change things</option>
                <option value="read">Read only</option>
                {isAdmin ? <option value="company_admin">Company admin: also manages people</option> : null}
              </select>
            )}
          </FormField>
          <button className="button" type="submit" disabled={create.isPending}>
            Create key
          </button>
        </form>
        <FormError form={form} />
        {create.data ? (
          <Note kind="success">
            {create.data.name}, shown only now:
            <CodeLine text={create.data.secret} />
            <CodeLine text={`curl -s ${window.location.origin}/companies/${session.company.id}/credits -H "x-api-key: ${create.data.secret}"`} label="Copy curl" />
          </Note>
        ) : null}
      </Card>
      <Card title="Keys">
        <Loaded query={keys}>
          {({ items: list }) =>
            list.length === 0 ? (
              <Empty title="No API keys">Create one above to call Tessera from your own code.</Empty>
            ) : (
              <ul className="list">
                {list.map((k) => (
                  <li key={k.id} className="list-item">
                    <div className="row-between">
                    <div>
                      <strong>{k.name}</strong> <Badge>{k.scope}</Badge> {k.revokedAt ? <Badge tone="bad">revoked</Badge> : null}
                      <div className="muted small">
                        <code>{k.prefix}…</code> · made {formatDate(k.createdAt)} · {k.memberName ? `${k.memberName}'s` : "the company's"}
                      </div>
                    </div>
                    {!k.revokedAt ? (
                      <div className="actions">
                        {isAdmin ? <CapsButton keyId={k.id} name={k.name} usage={k.usage} invalidate={["keys.list"]} /> : null}
                        {isAdmin || k.scope !== "company_admin" ? (
                          <ConfirmButton label="Revoke" title={`Revoke ${k.name}?`} confirm="Revoke" onConfirm={() => revoke.mutate(k.id)}>
                            It stops working on the next request.
                          </ConfirmButton>
                        ) : null}
                      </div>
                    ) : null}
                    </div>
                    <KeyUsageLine usage={k.usage} />
                  </li>
                ))}
              </ul>
            )
          }
        </Loaded>
        <Pager pager={pager} label="API keys" />
        <ErrorNote error={revoke.error} />
      </Card>
      {isAdmin ? <McpClients /> : null}
    </Page>
  );
}

/** MCP clients people connected through OAuth: each acts as a key of its own, capped and revoked like one. */
function McpClients() {
  const qc = useQueryClient();
  const { query, pager } = usePaged(["mcp.clients"], (cursor) => api.mcp.clients.query({ cursor }));
  const disconnect = useMutation({
    mutationFn: (id: string) => api.mcp.revokeClient.mutate({ id }),
    onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: ["mcp.clients"] }), qc.invalidateQueries({ queryKey: ["keys.list"] })]),
  });
  return (
    <Card title="Connected MCP clients">
      <Loaded query={query} what="Loading MCP clients">
        {({ items }) =>
          items.length === 0 ? (
            <Empty title="No MCP clients connected">When someone connects an AI agent to Tessera's MCP server and approves it, it shows here with what it spent.</Empty>
          ) : (
            <ul className="list">
              {items.map((c) => (
                <li key={c.id} className="list-item">
                  <div className="row-between">
                    <div>
                      <strong>{c.clientName}</strong> {c.live ? <Badge tone="good">Connected</Badge> : <Badge tone="bad">Disconnected</Badge>} <Badge>{c.scope}</Badge>
                      <div className="muted small">
                        approved by {c.memberName ?? "a former member"} · {formatDate(c.createdAt)} · tokens go to {c.redirectHost} · key <code>{c.keyPrefix}…</code>
                      </div>
                    </div>
                    {c.live ? (
                      <div className="actions">
                        <CapsButton keyId={c.keyId} name={c.clientName} usage={c.usage} invalidate={["mcp.clients"]} />
                        <ConfirmButton label="Disconnect" title={`Disconnect ${c.clientName}?`} confirm="Disconnect" onConfirm={() => disconnect.mutate(c.id)}>
                          Its key stops working on the next call and its tokens stop being accepted.
                        </ConfirmButton>
                      </div>
                    ) : null}
                  </div>
                  <KeyUsageLine usage={c.usage} />
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
      <Pager pager={pager} label="MCP clients" />
      <ErrorNote error={disconnect.error} />
    </Card>
  );
}
