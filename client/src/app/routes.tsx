import { lazy, type ComponentType } from "react";
import { isPlatformAdmin, type Session } from "./session";

/**
 * Each page is its own chunk, loaded when first opened, so the first load
 * carries only the shell (main.tsx wraps pages in Suspense).
 */
function page<M, K extends keyof M>(load: () => Promise<M>, name: K): ComponentType<any> {
  return lazy(() => load().then((m) => ({ default: m[name] as ComponentType<any> })));
}

const AdminCompanies = page(() => import("./pages/admin/companies"), "AdminCompanies");
const AdminCompany = page(() => import("./pages/admin/company"), "AdminCompany");
const AdminDisputes = page(() => import("./pages/admin/disputes"), "AdminDisputes");
const AdminLedger = page(() => import("./pages/admin/ledger"), "AdminLedger");
const AdminPayouts = page(() => import("./pages/admin/payouts"), "AdminPayouts");
const AcceptInvite = page(() => import("./pages/auth/accept-invite"), "AcceptInvite");
const SignIn = page(() => import("./pages/auth/sign-in"), "SignIn");
const SignUp = page(() => import("./pages/auth/sign-up"), "SignUp");
const BuyCredits = page(() => import("./pages/buyer/buy-credits"), "BuyCredits");
const CreditsPage = page(() => import("./pages/buyer/credits"), "CreditsPage");
const Disputes = page(() => import("./pages/buyer/disputes"), "Disputes");
const EndpointKeys = page(() => import("./pages/buyer/endpoint-keys"), "EndpointKeys");
const Library = page(() => import("./pages/buyer/library"), "Library");
const Listing = page(() => import("./pages/buyer/listing"), "Listing");
const Marketplace = page(() => import("./pages/buyer/marketplace"), "Marketplace");
const PurchasePage = page(() => import("./pages/buyer/purchase"), "PurchasePage");
const BuyerSettings = page(() => import("./pages/buyer/settings"), "BuyerSettings");
const Transactions = page(() => import("./pages/buyer/transactions"), "Transactions");
const DataSources = page(() => import("./pages/seller/data-sources"), "DataSources");
const Earnings = page(() => import("./pages/seller/earnings"), "Earnings");
const NewProduct = page(() => import("./pages/seller/new-product"), "NewProduct");
const Payouts = page(() => import("./pages/seller/payouts"), "Payouts");
const ProductPage = page(() => import("./pages/seller/product"), "ProductPage");
const Products = page(() => import("./pages/seller/products"), "Products");
const RequestLog = page(() => import("./pages/seller/request-log"), "RequestLog");
const StripeConnect = page(() => import("./pages/seller/stripe"), "StripeConnect");
const ApiKeys = page(() => import("./pages/team/api-keys"), "ApiKeys");
const CompanyPage = page(() => import("./pages/team/company"), "CompanyPage");
const Team = page(() => import("./pages/team/team"), "Team");

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
