import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api } from "../../api";
import { ErrorNote } from "../../components/page";
import { Field } from "../../components/forms";
import { Link, navigate, useLocation } from "../../router";
import { startSession } from "../../session";
import { AuthFrame } from "./auth-frame";

export function SignIn() {
  const { search } = useLocation();
  const qc = useQueryClient();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const signIn = useMutation({
    mutationFn: () => api.members.signIn.mutate({ email, password }),
    onSuccess: async (result) => {
      await startSession(qc, result);
      const next = search.get("next");
      // An MCP client's consent page is the Worker's, not the admin's: a full page load.
      if (next?.startsWith("/oauth/authorize?")) window.location.assign(next);
      else navigate(next && next.startsWith("/app/") ? next : "/app", { replace: true });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate();
  };
  return (
    <AuthFrame title="Sign in" footer={<>New to Tessera? <Link to="/app/signup">Create a company account</Link></>}>
      <form onSubmit={submit} className="stack">
        <Field label="E-mail">
          <input type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </Field>
        <Field label="Password">
          <input type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </Field>
        <ErrorNote error={signIn.error} />
        <button className="button" type="submit" disabled={signIn.isPending}>
          {signIn.isPending ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </AuthFrame>
  );
}
