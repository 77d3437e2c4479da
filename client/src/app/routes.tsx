import type { ComponentType } from "react";
import { AdminCompanies } from "./pages/admin/companies";
import { AdminCompany } from "./pages/admin/company";
import { AdminDisputes } from "./pages/admin/disputes";
import { AdminLedger } from "./pages/admin/ledger";
import { AdminPayouts } from "./pages/admin/payouts";
import { AcceptInvite } from "./pages/auth/accept-invite";
import { SignIn } from "./pages/auth/sign-in";
import { SignUp } from "./pages/auth/sign-up";
import { BuyCredits } from "./pages/buyer/buy-credits";
import { CreditsPage } from "./pages/buyer/credits";
import { Disputes } from "./pages/buyer/disputes";
import { EndpointKeys } from "./pages/buyer/endpoint-keys";
import { Library } from "./pages/buyer/library";
import { Listing } from "./pages/buyer/listing";
import { Marketplace } from "./pages/buyer/marketplace";
import { PurchasePage } from "./pages/buyer/purchase";
import { BuyerSettings } from "./pages/buyer/settings";
import { Transactions } from "./pages/buyer/transactions";
import { DataSources } from "./pages/seller/data-sources";
import { Earnings } from "./pages/seller/earnings";
import { NewProduct } from "./pages/seller/new-product";
import { Payouts } from "./pages/seller/payouts";
import { ProductPage } from "./pages/seller/product";
import { Products } from "./pages/seller/products";
import { RequestLog } from "./pages/seller/request-log";
import { StripeConnect } from "./pages/seller/stripe";
import { ApiKeys } from "./pages/team/api-keys";
import { CompanyPage } from "./pages/team/company";
import { Team } from "./pages/team/team";
import { isPlatformAdmin, type Session } from "./session";

// Pages take their path parameters as props.
type Route = { path: string; component: ComponentType<any> };

export const publicRoutes: (Route & { signedOutOnly: boolean })[] = [
  { path: "/app/signin", component: SignIn, signedOutOnly: true },
  { path: "/app/signup", component: SignUp, signedOutOnly: true },
  { path: "/app/invite/:token", component: AcceptInvite, signedOutOnly: false },
];

export const routes: Route[] = [
  { path: "/app/seller/products", component: Products },
  { path: "/app/seller/products/new", component: NewProduct },
  { path: "/app/seller/products/:id", component: ProductPage },
  { path: "/app/seller/data", component: DataSources },
  { path: "/app/seller/stripe", component: StripeConnect },
  { path: "/app/seller/earnings", component: Earnings },
  { path: "/app/seller/payouts", component: Payouts },
  { path: "/app/seller/requests", component: RequestLog },
  { path: "/app/marketplace", component: Marketplace },
  { path: "/app/marketplace/:id", component: Listing },
  { path: "/app/library", component: Library },
  { path: "/app/purchases/:id", component: PurchasePage },
  { path: "/app/keys", component: EndpointKeys },
  { path: "/app/credits", component: CreditsPage },
  { path: "/app/credits/buy", component: BuyCredits },
  { path: "/app/transactions", component: Transactions },
  { path: "/app/disputes", component: Disputes },
  { path: "/app/settings", component: BuyerSettings },
  { path: "/app/team", component: Team },
  { path: "/app/api-keys", component: ApiKeys },
  { path: "/app/company", component: CompanyPage },
  { path: "/app/admin/disputes", component: AdminDisputes },
  { path: "/app/admin/companies", component: AdminCompanies },
  { path: "/app/admin/companies/:id", component: AdminCompany },
  { path: "/app/admin/ledger", component: AdminLedger },
  { path: "/app/admin/payouts", component: AdminPayouts },
];

/** Where a signed-in person lands: Tessera's staff on disputes, sellers on their products, buyers in the marketplace. */
export function homeOf(session: Session): string {
  if (isPlatformAdmin(session)) return "/app/admin/disputes";
  return session.company.isSeller ? "/app/seller/products" : "/app/marketplace";
}

interface NavGroup {
  title: string;
  items: { to: string; label: string }[];
  show: (s: Session) => boolean;
}

export const nav: NavGroup[] = [
  {
    title: "Platform",
    show: isPlatformAdmin,
    items: [
      { to: "/app/admin/disputes", label: "Disputes" },
      { to: "/app/admin/companies", label: "Companies" },
      { to: "/app/admin/ledger", label: "Grants & adjustments" },
      { to: "/app/admin/payouts", label: "Payouts" },
    ],
  },
  {
    title: "Sell",
    show: (s) => s.company.isSeller,
    items: [
      { to: "/app/seller/products", label: "Products" },
      { to: "/app/seller/data", label: "Data sources" },
      { to: "/app/seller/stripe", label: "Stripe" },
      { to: "/app/seller/earnings", label: "Earnings" },
      { to: "/app/seller/payouts", label: "Payouts" },
      { to: "/app/seller/requests", label: "Request log" },
    ],
  },
  {
    title: "Buy",
    show: (s) => s.company.isBuyer,
    items: [
      { to: "/app/marketplace", label: "Marketplace" },
      { to: "/app/library", label: "Library" },
      { to: "/app/keys", label: "Endpoint keys" },
      { to: "/app/credits", label: "Credits" },
      { to: "/app/transactions", label: "Transactions" },
      { to: "/app/disputes", label: "Disputes" },
      { to: "/app/settings", label: "Alerts & refill" },
    ],
  },
  {
    title: "Company",
    show: () => true,
    items: [
      { to: "/app/company", label: "Profile" },
      { to: "/app/team", label: "Team" },
      { to: "/app/api-keys", label: "API keys" },
    ],
  },
];
