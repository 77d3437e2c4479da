import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api } from "../../api";
import { ErrorNote, Loaded } from "../../components/page";
import { Field } from "../../components/forms";
import { formatDate } from "../../format";
import { Link, navigate } from "../../router";
import { startSession } from "../../session";
import { AuthFrame } from "./auth-frame";

export function AcceptInvite({ token }: { token: string }) {
  const qc = useQueryClient();
  const info = useQuery({ queryKey: ["members.inviteInfo", token], queryFn: () => api.members.inviteInfo.query({ token }) });
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const accept = useMutation({
    mutationFn: () => api.members.acceptInvite.mutate({ token, name, password }),
    onSuccess: async (result) => {
      await startSession(qc, result);
      navigate("/app", { replace: true });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    accept.mutate();
  };
  return (
    <AuthFrame title="Join your team" footer={<Link to="/app/signin">Sign in instead</Link>}>
      <Loaded query={info} what="Checking the invitation">
        {(invite) => (
          <form onSubmit={submit} className="stack">
            <p>
              You are invited to <strong>{invite.companyName}</strong> as {invite.role === "admin" ? "an admin" : "a member"}, with the e-mail{" "}
              <strong>{invite.email}</strong>. The invitation is good until {formatDate(invite.expiresAt)}.
            </p>
            <Field label="Your name">
              <input required autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
            </Field>
            <Field label="Choose a password" hint="At least 10 characters and hard to guess: four or five random words work well.">
              <input type="password" required minLength={10} autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
            </Field>
            <ErrorNote error={accept.error} />
            <button className="button" type="submit" disabled={accept.isPending}>
              {accept.isPending ? "Joining…" : "Join"}
            </button>
          </form>
        )}
      </Loaded>
    </AuthFrame>
  );
}
