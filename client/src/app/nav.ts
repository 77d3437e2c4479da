import type { LinkProps } from "@tanstack/react-router";
import { isPlatformAdmin, type Session } from "./session";

/** A path of the admin's route table (routes.tsx), checked by the compiler. */
export type To = NonNullable<LinkProps["to"]>;

/** Where a signed-in person lands: Tessera's staff on disputes, sellers on their products, buyers in the marketplace. */
export function homeOf(session: Session): To {
  if (isPlatformAdmin(session)) return "/app/admin/disputes";
  return session.company.isSeller ? "/app/seller/products" : "/app/marketplace";
}

interface NavGroup {
  title: string;
  items: { to: To; label: string }[];
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
