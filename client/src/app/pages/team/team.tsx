import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { inviteInput } from "../../../../../src/members/schema";
import { api } from "../../api";
import { ConfirmButton } from "../../components/dialog";
import { Pager, usePaged } from "../../components/paging";
import { CodeLine, FormError, FormField, showServerError, useSchemaForm } from "../../components/forms";
import { Badge, Card, ErrorNote, Loaded, Note, Page } from "../../components/page";
import { formatDate } from "../../format";
import { useSignedIn } from "../../session";

export function Team() {
  const session = useSignedIn();
  const qc = useQueryClient();
  const isAdmin = session.member.role === "admin";
  const { query: members, pager } = usePaged(["members.list"], (cursor) => api.members.list.query({ cursor }));
  const { query: invites, pager: invitePager } = usePaged(["members.invites"], (cursor) => api.members.invites.query({ cursor }), { enabled: isAdmin });
  const remove = useMutation({
    mutationFn: (id: string) => api.members.remove.mutate({ id }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["members.list"] }),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api.members.revokeInvite.mutate({ id }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["members.invites"] }),
  });
  return (
    <Page title="Team" lead={`People who sign in to ${session.company.name}. Admins invite and remove members; everyone can buy, sell and manage products.`}>
      <div className="grid two">
        <Card title="Members">
          <Loaded query={members}>
            {({ items: list }) => (
              <ul className="list">
                {list.map((m) => (
                  <li key={m.id} className="list-item row-between">
                    <div>
                      <strong>{m.name}</strong> {m.role === "admin" ? <Badge tone="info">admin</Badge> : null} {m.id === session.member.id ? <Badge>you</Badge> : null}
                      <div className="muted small">
                        {m.email} · since {formatDate(m.createdAt)}
                      </div>
                    </div>
                    {isAdmin && m.id !== session.member.id ? (
                      <ConfirmButton label="Remove" title={`Remove ${m.name}?`} confirm="Remove" onConfirm={() => remove.mutate(m.id)}>
                        They are signed out at once, and the keys they made stop working.
                      </ConfirmButton>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
          </Loaded>
          <Pager pager={pager} label="Members" />
          <ErrorNote error={remove.error} />
        </Card>
        {isAdmin ? (
          <div className="stack">
            <InviteCard />
            <Card title="Open invitations">
              <Loaded query={invites}>
                {({ items: list }) =>
                  list.length === 0 ? (
                    <p className="muted">None. Invite someone above: they get a link to choose a password.</p>
                  ) : (
                    <ul className="list">
                      {list.map((i) => (
                        <li key={i.id} className="list-item row-between">
                          <div>
                            {i.email} <Badge>{i.role}</Badge>
                            <div className="muted small">expires {formatDate(i.expiresAt)}</div>
                          </div>
                          <button type="button" className="button small secondary" onClick={() => revoke.mutate(i.id)}>
                            Revoke
                          </button>
                        </li>
                      ))}
                    </ul>
                  )
                }
              </Loaded>
              <Pager pager={invitePager} label="Invitations" />
              <ErrorNote error={revoke.error} />
            </Card>
          </div>
        ) : (
          <Card>
            <p className="muted">Ask an admin of your company to invite people.</p>
          </Card>
        )}
      </div>
    </Page>
  );
}

/** Validated by the procedure's own schema (src/members/schema.ts); an e-mail that has an account is refused on its field. */
function InviteCard() {
  const qc = useQueryClient();
  const form = useSchemaForm(inviteInput, { email: "", role: "member" });
  const invite = useMutation({
    mutationFn: (values: typeof inviteInput._zod.input) => api.members.invite.mutate(values),
    onSuccess: () => {
      form.reset({ email: "", role: form.getValues("role") });
      void qc.invalidateQueries({ queryKey: ["members.invites"] });
    },
    onError: (error) => showServerError(form, error),
  });
  return (
    <Card title="Invite someone">
      <form className="stack" noValidate onSubmit={form.handleSubmit((values) => invite.mutate(values))}>
        <div className="grid two tight">
          <FormField form={form} name="email" label="E-mail">
            {(control) => <input type="email" autoComplete="off" {...control} />}
          </FormField>
          <FormField form={form} name="role" label="Role">
            {(control) => (
              <select {...control}>
                <option value="member">Member</option>
                <option value="admin">Admin</option>
              </select>
            )}
          </FormField>
        </div>
        <FormError form={form} />
        {invite.data ? (
          <Note kind="success">
            Send {invite.data.email} this link (good for 7 days, shown only now):
            <CodeLine text={`${window.location.origin}/app/invite/${invite.data.token}`} label="Copy link" />
          </Note>
        ) : null}
        <div className="actions">
          <button className="button" type="submit" disabled={invite.isPending}>
            Create invitation
          </button>
        </div>
      </form>
    </Card>
  );
}
