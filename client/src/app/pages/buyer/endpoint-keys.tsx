import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api";
import { ConfirmButton } from "../../components/dialog";
import { CodeLine } from "../../components/forms";
import { CapsButton, KeyUsageLine } from "../../components/key-caps";
import { Pager, usePaged } from "../../components/paging";
import { curlLine } from "../../components/params";
import { Badge, Card, Empty, ErrorNote, Loaded, Note, Page } from "../../components/page";
import { formatDate } from "../../format";
import { Link } from "@tanstack/react-router";
import { useSignedIn } from "../../session";

const KEYS = ["marketplace.endpoints.keys"] as const;

export function EndpointKeys() {
  const session = useSignedIn();
  const isAdmin = session.member.role === "admin";
  const qc = useQueryClient();
  const { query: keys, pager } = usePaged(["marketplace.endpoints.keys"], (cursor) => api.marketplace.endpoints.keys.query({ cursor }));
  const revoke = useMutation({
    mutationFn: (keyId: string) => api.marketplace.endpoints.revokeKey.mutate({ keyId }),
    onSuccess: () => qc.invalidateQueries({ queryKey: KEYS }),
  });
  // Rolling revokes the key and issues a new one with the same caps; its secret is shown once, here.
  const roll = useMutation({
    mutationFn: (key: { id: string; endpointName: string }) => api.marketplace.endpoints.rollKey.mutate({ keyId: key.id }),
    onSuccess: () => qc.invalidateQueries({ queryKey: KEYS }),
  });
  return (
    <Page title="Endpoint keys" lead="One key per endpoint for your company. A secret is shown once, when the key is made. Roll a key to replace it in one step (the old one stops at once); cap what each key may spend.">
      {roll.data?.secret ? (
        <Note kind="success">
          The new key for {roll.variables?.endpointName}, shown only now (the old one no longer works):
          <CodeLine text={roll.data.secret} />
          <CodeLine text={curlLine(roll.data.endpointId, roll.data.secret)} label="Copy curl" />
        </Note>
      ) : null}
      <ErrorNote error={roll.error} />
      <Card>
        <Loaded query={keys} what="Loading keys">
          {({ items: list }) =>
            list.length === 0 ? (
              <Empty title="No endpoint keys yet" action={<Link className="button" to="/app/marketplace" search={{ type: "endpoint" }}>Find an endpoint</Link>}>
                Open an endpoint in the marketplace and press “Get API key”. Keys are free; each successful request is billed.
              </Empty>
            ) : (
              <ul className="list">
                {list.map((k) => (
                  <li key={k.id} className="list-item">
                    <div className="row-between">
                      <div>
                        <Link to="/app/marketplace/$id" params={{ id: k.endpointId }}>
                          <strong>{k.endpointName}</strong>
                        </Link>{" "}
                        {k.revokedAt ? <Badge tone="bad">Revoked{k.revokedBy === "seller" ? " by the seller" : ""}</Badge> : <Badge tone="good">Active</Badge>}
                        <div className="muted small">
                          <code>{k.prefix}…</code> · made {formatDate(k.createdAt)}
                          {k.revokedAt ? ` · revoked ${formatDate(k.revokedAt)}` : ""}
                        </div>
                      </div>
                      {!k.revokedAt ? (
                        <div className="actions">
                          {isAdmin ? <CapsButton keyId={k.id} name={k.endpointName} usage={k.usage} invalidate={KEYS} /> : null}
                          <ConfirmButton label="Roll key" className="button small secondary" title={`Roll the key for ${k.endpointName}?`} confirm="Roll key" onConfirm={() => roll.mutate(k)} disabled={roll.isPending}>
                            The key <code>{k.prefix}…</code> stops working on the next request and a new one, with the same spending caps, is shown once.
                          </ConfirmButton>
                          <ConfirmButton label="Revoke" title={`Revoke the key for ${k.endpointName}?`} confirm="Revoke" onConfirm={() => revoke.mutate(k.id)} disabled={revoke.isPending}>
                            It stops working on the next request. You can get a new key on the endpoint's page.
                          </ConfirmButton>
                        </div>
                      ) : null}
                    </div>
                    <KeyUsageLine usage={k.usage} />
                    {!k.revokedAt ? (
                      <CodeLine text={curlLine(k.endpointId, "$TESSERA_KEY")} label="Copy curl" />
                    ) : null}
                  </li>
                ))}
              </ul>
            )
          }
        </Loaded>
        <Pager pager={pager} label="Endpoint keys" />
        <ErrorNote error={revoke.error} />
      </Card>
    </Page>
  );
}
