import { useEffect, useState, type FormEvent } from "react";
import { api, type Outputs } from "../../api";
import { Credits, Usd } from "../../components/amounts";
import { columnsFor, DataTable, NoRows } from "../../components/data-table";
import { Field } from "../../components/forms";
import { Badge, Card, Page } from "../../components/page";
import { usePaged } from "../../components/paging";
import { formatDate } from "../../format";
import { getRouteApi, Link } from "@tanstack/react-router";

type Row = Outputs["admin"]["companies"]["list"]["items"][number];
const col = columnsFor<Row>();

const columns = [
  col.accessor("name", {
    header: "Company",
    cell: (c) => <Link to="/app/admin/companies/$id" params={{ id: c.row.original.id }}>{c.getValue()}</Link>,
  }),
  col.display({
    id: "roles",
    header: "Sells / buys",
    cell: (c) => [c.row.original.isSeller ? "Seller" : null, c.row.original.isBuyer ? "Buyer" : null].filter(Boolean).join(", ") || "—",
  }),
  col.accessor((r) => r.credits.availableCredits, { id: "available", header: "Available", meta: { align: "right" }, cell: (c) => <Credits value={c.getValue()} /> }),
  col.accessor((r) => r.credits.balanceUsd, { id: "usd", header: "Balance (USD)", meta: { align: "right" }, cell: (c) => <Usd value={c.getValue()} /> }),
  col.display({ id: "status", header: "Status", cell: (c) => <Standing company={c.row.original} /> }),
  col.accessor("createdAt", { header: "Joined", cell: (c) => formatDate(c.getValue()) }),
];

/** A company's standing at a glance: may it sell, is it running low. */
export function Standing({ company }: { company: { isBuyer: boolean; isSeller: boolean; canSell: boolean; credits: { lowBalanceWarning: boolean } } }) {
  return (
    <span className="chips">
      {company.isSeller ? company.canSell ? <Badge tone="good">Can sell</Badge> : <Badge tone="warn">Not verified</Badge> : null}
      {company.isBuyer && company.credits.lowBalanceWarning ? <Badge tone="bad">Low balance</Badge> : null}
    </span>
  );
}

const route = getRouteApi("/app/admin/companies");

/** Platform admins find a company by name or id, with its balance and standing. The search is the address's (routes.tsx). */
export function AdminCompanies() {
  const params = route.useSearch();
  const navigate = route.useNavigate();
  const search = { query: params.q ?? "", role: (params.role ?? "") as "" | "buyer" | "seller" };
  const [draft, setDraft] = useState(search.query);
  useEffect(() => setDraft(search.query), [search.query]);
  const setSearch = (next: typeof search) => void navigate({ search: { q: next.query || undefined, role: next.role || undefined } });
  const list = usePaged(
    ["admin.companies", search],
    (cursor) => api.admin.companies.list.query({ cursor, ...(search.query ? { query: search.query } : {}), ...(search.role ? { role: search.role } : {}) }),
    { inUrl: true },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSearch({ ...search, query: draft.trim() });
  };
  return (
    <Page title="Companies" lead="Every customer company, newest first: its credits, and whether it may sell. Open one to grant or take away credits.">
      <Card>
        <form className="filters" role="search" onSubmit={submit}>
          <Field label="Name or id">
            <input type="search" value={draft} onChange={(e) => setDraft(e.target.value)} maxLength={100} />
          </Field>
          <Field label="Kind">
            <select value={search.role} onChange={(e) => setSearch({ ...search, role: e.target.value as typeof search.role })}>
              <option value="">All</option>
              <option value="buyer">Buyers</option>
              <option value="seller">Sellers</option>
            </select>
          </Field>
          <button type="submit" className="button">
            Search
          </button>
        </form>
        <DataTable label="Companies" columns={columns} list={list} rowKey={(r) => r.id} empty={<NoRows title="No company matches">Try part of the name, or a whole id.</NoRows>} />
      </Card>
    </Page>
  );
}
