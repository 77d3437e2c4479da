import { useMutation, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link, useNavigate } from "@tanstack/react-router";
import { signInInput } from "../../../../../src/members/schema";
import { api } from "../../api";
import { FormError, FormField, showServerError, useSchemaForm } from "../../components/forms";
import { startSession } from "../../session";
import { AuthFrame } from "./auth-frame";

const route = getRouteApi("/app/signin");

export function SignIn() {
  const { next } = route.useSearch();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const form = useSchemaForm(signInInput, { email: "", password: "" });
  const signIn = useMutation({
    mutationFn: (values: typeof signInInput._zod.input) => api.members.signIn.mutate(values),
    onSuccess: async (result) => {
      await startSession(qc, result);
      // An MCP client's consent page is the Worker's, not the admin's: a full page load.
      if (next?.startsWith("/oauth/authorize?")) window.location.assign(next);
      else void navigate({ href: next?.startsWith("/app/") ? next : "/app", replace: true });
    },
    onError: (error) => showServerError(form, error),
  });
  return (
    <AuthFrame title="Sign in" footer={<>New to Tessera? <Link to="/app/signup">Create a company account</Link></>}>
      <form onSubmit={form.handleSubmit((values) => signIn.mutate(values))} className="stack" noValidate>
        <FormField form={form} name="email" label="E-mail">
          {(control) => <input type="email" autoComplete="username" required {...control} />}
        </FormField>
        <FormField form={form} name="password" label="Password">
          {(control) => <input type="password" autoComplete="current-password" required {...control} />}
        </FormField>
        <FormError form={form} />
        <button className="button" type="submit" disabled={signIn.isPending}>
          {signIn.isPending ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </AuthFrame>
  );
}
