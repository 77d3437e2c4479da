import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { acceptInviteInput } from "../../../../../src/members/schema";
import { api } from "../../api";
import { Loaded } from "../../components/page";
import { FormError, FormField, showServerError, useSchemaForm } from "../../components/forms";
import { formatDate } from "../../format";
import { getRouteApi, Link, useNavigate } from "@tanstack/react-router";
import { startSession } from "../../session";
import { AuthFrame } from "./auth-frame";

const route = getRouteApi("/app/invite/$token");

export function AcceptInvite() {
  const { token } = route.useParams();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const info = useQuery({ queryKey: ["members.inviteInfo", token], queryFn: () => api.members.inviteInfo.query({ token }) });
  const form = useSchemaForm(acceptInviteInput, { token, name: "", password: "" });
  const accept = useMutation({
    mutationFn: (values: typeof acceptInviteInput._zod.input) => api.members.acceptInvite.mutate(values),
    onSuccess: async (result) => {
      await startSession(qc, result);
      void navigate({ to: "/app", replace: true });
    },
    onError: (error) => showServerError(form, error),
  });
  return (
    <AuthFrame title="Join your team" footer={<Link to="/app/signin">Sign in instead</Link>}>
      <Loaded query={info} what="Checking the invitation">
        {(invite) => (
          <form onSubmit={form.handleSubmit((values) => accept.mutate(values))} className="stack" noValidate>
            <p>
              You are invited to <strong>{invite.companyName}</strong> as {invite.role === "admin" ? "an admin" : "a member"}, with the e-mail{" "}
              <strong>{invite.email}</strong>. The invitation is good until {formatDate(invite.expiresAt)}.
            </p>
            <FormField form={form} name="name" label="Your name">
              {(control) => <input required autoComplete="name" {...control} />}
            </FormField>
            <FormField form={form} name="password" label="Choose a password" hint="At least 10 characters and hard to guess: four or five random words work well.">
              {(control) => <input type="password" required autoComplete="new-password" {...control} />}
            </FormField>
            <FormError form={form} />
            <button className="button" type="submit" disabled={accept.isPending}>
              {accept.isPending ? "Joining…" : "Join"}
            </button>
          </form>
        )}
      </Loaded>
    </AuthFrame>
  );
}
