import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api } from "../../api";
import { Pager, usePaged } from "../../components/paging";
import { CodeLine, Field } from "../../components/forms";
import { Badge, Card, Empty, ErrorNote, Loaded, Note, Page } from "../../components/page";
import { formatDate } from "../../format";
import { useSignedIn } from "../../session";

type KeyScope = "read" | "full" | "company_admin";

/** Company API keys: for scripts and servers calling the management API (tRPC) and the company REST reads. */
export function ApiKeys() {
  const session = useSignedIn();
  const qc = useQueryClient();
  const { query: keys, pager } = usePaged(["keys.list"], (cursor) => api.keys.list.query({ cursor }));
  const [name, setName] = useState("");
  const isAdmin = session.member.role === "admin";
  const [scope, setScope] = useState<KeyScope>("full");
  const create = useMutation({
    mutationFn: () => api.keys.create.mutate({ name, scope }),
    onSuccess: () => {
      setName("");
      void qc.invalidateQueries({ queryKey: ["keys.list"] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api.keys.revoke.mutate({ id }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["keys.list"] }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Page
      title="API keys"
      lead="Keys for your own scripts and servers. A key you make is yours: it has at most your power and is revoked if you leave the company. Endpoint keys for marketplace data are separate (Buy → Endpoint keys)."
    >
      <Card title="New key">
        <form className="inline-form" onSubmit={submit}>
          <Field label="Name">
            <input required value={name} onChange={(e) => setName(e.target.value)} placeholder="Reporting job" />
          </Field>
          <Field label="Scope">
            <select value={scope} onChange={(e) => setScope(e.target.value as KeyScope)}>
              <option value="full">Full: may change things</option>
              <option value="read">Read only</option>
              {isAdmin ? <option value="company_admin">Company admin: also manages people</option> : null}
            </select>
          </Field>
          <button className="button" type="submit" disabled={create.isPending}>
            Create key
          </button>
        </form>
        <ErrorNote error={create.error} />
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
                  <li key={k.id} className="list-item row-between">
                    <div>
                      <strong>{k.name}</strong> <Badge>{k.scope}</Badge> {k.revokedAt ? <Badge tone="bad">revoked</Badge> : null}
                      <div className="muted small">
                        <code>{k.prefix}…</code> · made {formatDate(k.createdAt)} · {k.memberName ? `${k.memberName}'s` : "the company's"}
                      </div>
                    </div>
                    {!k.revokedAt && (isAdmin || k.scope !== "company_admin") ? (
                      <button type="button" className="button small danger" onClick={() => window.confirm(`Revoke ${k.name}?`) && revoke.mutate(k.id)}>
                        Revoke
                      </button>
                    ) : null}
                  </li>
                ))}
              </ul>
            )
          }
        </Loaded>
        <Pager pager={pager} label="API keys" />
        <ErrorNote error={revoke.error} />
      </Card>
    </Page>
  );
}
