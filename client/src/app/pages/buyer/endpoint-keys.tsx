import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api";
import { Pager, usePaged } from "../../components/paging";
import { CodeLine } from "../../components/forms";
import { curlLine } from "../../components/params";
import { Badge, Card, Empty, ErrorNote, Loaded, Page } from "../../components/page";
import { formatDate } from "../../format";
import { Link } from "../../router";

export function EndpointKeys() {
  const qc = useQueryClient();
  const { query: keys, pager } = usePaged(["marketplace.endpoints.keys"], (cursor) => api.marketplace.endpoints.keys.query({ cursor }));
  const revoke = useMutation({
    mutationFn: (keyId: string) => api.marketplace.endpoints.revokeKey.mutate({ keyId }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["marketplace.endpoints.keys"] }),
  });
  return (
    <Page title="Endpoint keys" lead="One key per endpoint for your company. A secret is shown once, when the key is made; revoke a lost key and get a new one on the endpoint's page.">
      <Card>
        <Loaded query={keys} what="Loading keys">
          {({ items: list }) =>
            list.length === 0 ? (
              <Empty title="No endpoint keys yet" action={<Link className="button" to="/app/marketplace?type=endpoint">Find an endpoint</Link>}>
                Open an endpoint in the marketplace and press “Get API key”. Keys are free; each successful request is billed.
              </Empty>
            ) : (
              <ul className="list">
                {list.map((k) => (
                  <li key={k.id} className="list-item">
                    <div className="row-between">
                      <div>
                        <Link to={`/app/marketplace/${k.endpointId}`}>
                          <strong>{k.endpointName}</strong>
                        </Link>{" "}
                        {k.revokedAt ? <Badge tone="bad">Revoked{k.revokedBy === "seller" ? " by the seller" : ""}</Badge> : <Badge tone="good">Active</Badge>}
                        <div className="muted small">
                          <code>{k.prefix}…</code> · made {formatDate(k.createdAt)}
                          {k.revokedAt ? ` · revoked ${formatDate(k.revokedAt)}` : ""}
                        </div>
                      </div>
                      {!k.revokedAt ? (
                        <button
                          type="button"
                          className="button small danger"
                          disabled={revoke.isPending}
                          onClick={() => window.confirm("Revoke this key? It stops working on the next request.") && revoke.mutate(k.id)}
                        >
                          Revoke
                        </button>
                      ) : null}
                    </div>
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
