import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api } from "../../api";
import { ErrorNote } from "../../components/page";
import { Field } from "../../components/forms";
import { Link, navigate } from "../../router";
import { startSession } from "../../session";
import { AuthFrame } from "./auth-frame";

export function SignUp() {
  const qc = useQueryClient();
  const [form, setForm] = useState({ companyName: "", name: "", email: "", password: "", isBuyer: true, isSeller: false });
  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) => setForm({ ...form, [key]: value });
  const signUp = useMutation({
    mutationFn: () => api.members.signUp.mutate(form),
    onSuccess: async (result) => {
      await startSession(qc, result);
      navigate(result.company.isSeller ? "/app/seller/data" : "/app/marketplace", { replace: true });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signUp.mutate();
  };
  return (
    <AuthFrame title="Create your company" footer={<>Already have an account? <Link to="/app/signin">Sign in</Link></>}>
      <form onSubmit={submit} className="stack">
        <Field label="Company name">
          <input required minLength={2} value={form.companyName} onChange={(e) => set("companyName", e.target.value)} />
        </Field>
        <fieldset className="choices">
          <legend>Your company will</legend>
          <label>
            <input type="checkbox" checked={form.isBuyer} onChange={(e) => set("isBuyer", e.target.checked)} /> Buy data products
          </label>
          <label>
            <input type="checkbox" checked={form.isSeller} onChange={(e) => set("isSeller", e.target.checked)} /> Sell data products
          </label>
        </fieldset>
        <Field label="Your name">
          <input required autoComplete="name" value={form.name} onChange={(e) => set("name", e.target.value)} />
        </Field>
        <Field label="E-mail">
          <input type="email" required autoComplete="username" value={form.email} onChange={(e) => set("email", e.target.value)} />
        </Field>
        <Field label="Password" hint="At least 10 characters and hard to guess: four or five random words work well.">
          <input type="password" required minLength={10} autoComplete="new-password" value={form.password} onChange={(e) => set("password", e.target.value)} />
        </Field>
        <ErrorNote error={signUp.error} />
        <button className="button" type="submit" disabled={signUp.isPending}>
          {signUp.isPending ? "Creating…" : "Create account"}
        </button>
      </form>
    </AuthFrame>
  );
}
