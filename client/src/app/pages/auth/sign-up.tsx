import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { signUpInput } from "../../../../../src/members/schema";
import { api } from "../../api";
import { FormError, FormField, showServerError, useSchemaForm } from "../../components/forms";
import { startSession } from "../../session";
import { AuthFrame } from "./auth-frame";

export function SignUp() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const form = useSchemaForm(signUpInput, { companyName: "", name: "", email: "", password: "", isBuyer: true, isSeller: false });
  const signUp = useMutation({
    mutationFn: (values: typeof signUpInput._zod.input) => api.members.signUp.mutate(values),
    onSuccess: async (result) => {
      await startSession(qc, result);
      void navigate({ to: result.company.isSeller ? "/app/seller/data" : "/app/marketplace", replace: true });
    },
    onError: (error) => showServerError(form, error),
  });
  return (
    <AuthFrame title="Create your company" footer={<>Already have an account? <Link to="/app/signin">Sign in</Link></>}>
      <form onSubmit={form.handleSubmit((values) => signUp.mutate(values))} className="stack" noValidate>
        <FormField form={form} name="companyName" label="Company name">
          {(control) => <input required {...control} />}
        </FormField>
        <fieldset className="choices">
          <legend>Your company will</legend>
          <label>
            <input type="checkbox" {...form.register("isBuyer")} /> Buy data products
          </label>
          <label>
            <input type="checkbox" {...form.register("isSeller")} /> Sell data products
          </label>
        </fieldset>
        <FormField form={form} name="name" label="Your name">
          {(control) => <input required autoComplete="name" {...control} />}
        </FormField>
        <FormField form={form} name="email" label="E-mail">
          {(control) => <input type="email" required autoComplete="username" {...control} />}
        </FormField>
        <FormField form={form} name="password" label="Password" hint="At least 10 characters and hard to guess: four or five random words work well.">
          {(control) => <input type="password" required autoComplete="new-password" {...control} />}
        </FormField>
        <FormError form={form} />
        <button className="button" type="submit" disabled={signUp.isPending}>
          {signUp.isPending ? "Creating…" : "Create account"}
        </button>
      </form>
    </AuthFrame>
  );
}
