import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { api } from "../../api";
import { ConfirmButton } from "../../components/dialog";
import { Badge, Card, ErrorNote, Loaded, Note, Page, Progress } from "../../components/page";
import { formatDate } from "../../format";
import { getRouteApi } from "@tanstack/react-router";

const statusText = {
  none: { tone: "neutral", label: "Not connected", text: "Connect a Stripe account so Tessera can pay you. It takes about three minutes; Stripe keeps your bank details, we never see them." },
  incomplete: { tone: "warn", label: "Onboarding not finished", text: "Stripe still needs some details before payouts can be enabled. Continue where you left off." },
  verified: { tone: "good", label: "Verified", text: "Payouts are enabled. Products with “Sell in the marketplace” on are listed." },
  disconnected: { tone: "bad", label: "Disconnected", text: "Your products are out of the marketplace and payouts are frozen. Connect again to sell; your sales history is kept." },
} as const;

const route = getRouteApi("/app/seller/stripe");

export function StripeConnect() {
  const qc = useQueryClient();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const status = useQuery({ queryKey: ["connect.status"], queryFn: () => api.connect.status.query() });
  const start = useMutation({
    mutationFn: () => api.connect.start.mutate({ returnUrl: `${window.location.origin}/app/seller/stripe?onboarding=done`, refreshUrl: `${window.location.origin}/app/seller/stripe?onboarding=expired` }),
    onSuccess: (answer) => {
      if (answer.onboardingUrl) window.location.assign(answer.onboardingUrl);
      else qc.setQueryData(["connect.status"], answer);
    },
  });
  const refresh = useMutation({
    mutationFn: () => api.connect.refresh.mutate(),
    onSuccess: (answer) => {
      qc.setQueryData(["connect.status"], answer);
      void qc.invalidateQueries({ queryKey: ["products.list"] });
    },
  });
  const disconnect = useMutation({
    mutationFn: () => api.connect.disconnect.mutate(),
    onSuccess: (answer) => {
      qc.setQueryData(["connect.status"], answer);
      void qc.invalidateQueries({ queryKey: ["products.list"] });
    },
  });

  // Back from Stripe's onboarding: ask Stripe for the account's state now rather than wait for its webhook.
  const back = search.onboarding;
  useEffect(() => {
    if (back === "done") {
      refresh.mutate();
      void navigate({ search: {}, replace: true });
    }
  }, [back]);

  return (
    <Page title="Stripe payouts" lead="Tessera pays sellers monthly through Stripe Connect. Listing in the marketplace needs a verified account.">
      {back === "expired" ? <Note kind="warning">That onboarding link expired. Start again to get a fresh one.</Note> : null}
      <Loaded query={status} what="Asking Stripe">
        {(s) => {
          const info = statusText[s.status];
          return (
            <Card>
              <div className="row-between">
                <h2>
                  Stripe account <Badge tone={info.tone}>{info.label}</Badge>
                </h2>
                {s.accountId ? <code className="muted">{s.accountId}</code> : null}
              </div>
              <p>{info.text}</p>
              {s.requirementsDue.length ? (
                <p className="small">
                  Stripe still needs: <strong>{s.requirementsDue.join(", ")}</strong>
                </p>
              ) : null}
              {s.connectedAt ? <p className="muted small">Connected {formatDate(s.connectedAt)}{s.disconnectedAt ? ` · disconnected ${formatDate(s.disconnectedAt)}` : ""}</p> : null}
              {start.isPending ? <Progress label="Opening Stripe onboarding" /> : null}
              {refresh.isPending ? <Progress label="Checking with Stripe" /> : null}
              <ErrorNote error={start.error ?? refresh.error ?? disconnect.error} />
              <div className="actions">
                {s.status !== "verified" ? (
                  <button type="button" className="button" onClick={() => start.mutate()} disabled={start.isPending}>
                    {s.status === "incomplete" ? "Continue onboarding" : "Connect Stripe"}
                  </button>
                ) : null}
                {s.status !== "none" && s.status !== "disconnected" ? (
                  <button type="button" className="button secondary" onClick={() => refresh.mutate()} disabled={refresh.isPending}>
                    Check status
                  </button>
                ) : null}
                {s.status === "verified" || s.status === "incomplete" ? (
                  <ConfirmButton label="Disconnect" className="button danger" title="Disconnect Stripe?" confirm="Disconnect" onConfirm={() => disconnect.mutate()} disabled={disconnect.isPending}>
                    Every product leaves the marketplace at once and payouts freeze. To pause one product, turn its “Sell in the marketplace” off instead.
                  </ConfirmButton>
                ) : null}
              </div>
            </Card>
          );
        }}
      </Loaded>
    </Page>
  );
}
