import { api } from "../../api";
import { DataTable, NoRows } from "../../components/data-table";
import { Card, Page } from "../../components/page";
import { usePaged } from "../../components/paging";
import { entryColumns } from "./company";

/** Every grant, allocation and adjustment an admin made, newest first, with its reason. */
export function AdminLedger() {
  const entries = usePaged(["admin.entries", "all"], (cursor) => api.admin.entries.query({ cursor }));
  return (
    <Page title="Grants and adjustments" lead="Credits given or taken away by hand, across every company, with the reason each was given. Make one from a company's page.">
      <Card>
        <DataTable label="Grants and adjustments" columns={entryColumns} list={entries} rowKey={(e) => e.id} empty={<NoRows title="None yet">Open a company to grant or take away credits.</NoRows>} />
      </Card>
    </Page>
  );
}
