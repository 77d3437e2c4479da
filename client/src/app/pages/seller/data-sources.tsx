import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { createOriginInput } from "../../../../../src/data-sources/schema";
import { api } from "../../api";
import { ConfirmButton } from "../../components/dialog";
import { Pager, usePaged } from "../../components/paging";
import { Badge, Card, Empty, ErrorNote, Loaded, Note, Page, Progress } from "../../components/page";
import { CodeLine, Field, FormError, FormField, showServerError, splitList, useSchemaForm } from "../../components/forms";
import { RowsTable } from "../../components/result";
import { formatBytes, formatCount, formatDate } from "../../format";
import { Link } from "@tanstack/react-router";
import { formatOfFile, uploadDataset, type DatasetFormat, type DataSourceView } from "../../upload";

export function DataSources() {
  const { query: sources, pager } = usePaged(["dataSources.list"], (cursor) => api.dataSources.list.query({ cursor }));
  return (
    <Page title="Data sources" lead="The data behind your products: files you upload (hosted datasets) or your own HTTPS API (origins).">
      <div className="grid two">
        <UploadCard />
        <OriginCard />
      </div>
      <Card title="Your data sources">
        <Loaded query={sources} what="Loading data sources">
          {({ items: list }) =>
            list.length === 0 ? (
              <Empty title="No data sources yet">Upload a CSV or JSON file above, or register your HTTPS API as an origin. Then create a product from it.</Empty>
            ) : (
              <ul className="list">
                {list.map((s) => (
                  <SourceRow key={s.id} source={s} />
                ))}
              </ul>
            )
          }
        </Loaded>
        <Pager pager={pager} label="Data sources" />
      </Card>
    </Page>
  );
}

function SourceRow({ source }: { source: DataSourceView }) {
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const rows = useQuery({
    queryKey: ["dataSources.rows", source.id],
    queryFn: () => api.dataSources.rows.query({ id: source.id, limit: 10 }),
    enabled: open && source.kind === "dataset",
  });
  const remove = useMutation({
    mutationFn: () => api.dataSources.delete.mutate({ id: source.id }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["dataSources.list"] }),
  });
  return (
    <li className="list-item">
      <div className="row-between">
        <div>
          <strong>{source.name}</strong> <Badge tone="info">{source.kind === "dataset" ? "Hosted dataset" : "HTTP origin"}</Badge>
          <div className="muted small">
            {source.kind === "dataset"
              ? `${formatCount(source.rowCount)} rows · ${source.columns.length} columns · ${formatBytes(source.sizeBytes)}`
              : `${source.url} · timeout ${source.timeoutMs} ms`}{" "}
            · added {formatDate(source.createdAt)}
          </div>
          {source.kind === "dataset" ? (
            <div className="chips">
              {source.columns.map((c) => (
                <span key={c.name} className="chip">
                  {c.name} <span className="muted">{c.type}</span>
                </span>
              ))}
            </div>
          ) : null}
        </div>
        <div className="actions">
          {source.kind === "dataset" ? (
            <button type="button" className="button small secondary" onClick={() => setOpen(!open)}>
              {open ? "Hide rows" : "Show rows"}
            </button>
          ) : null}
          <Link className="button small" to="/app/seller/products/new" search={{ source: source.id }}>
            New product
          </Link>
          <ConfirmButton label="Delete" title={`Delete ${source.name}?`} confirm="Delete" onConfirm={() => remove.mutate()} disabled={remove.isPending}>
            Its data goes with it.
          </ConfirmButton>
        </div>
      </div>
      <ErrorNote error={remove.error} />
      {open ? <Loaded query={rows}>{(r) => <RowsTable rows={r.rows as Record<string, unknown>[]} />}</Loaded> : null}
    </li>
  );
}

function UploadCard() {
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState("");
  const [format, setFormat] = useState<DatasetFormat>("csv");
  const [filterable, setFilterable] = useState("");
  const [progress, setProgress] = useState<{ stage: "sending" | "loading"; fraction: number | null } | null>(null);
  const upload = useMutation({
    mutationFn: () => uploadDataset(file!, { name: name || file!.name, format, filterable: splitList(filterable) }, (stage, fraction) => setProgress({ stage, fraction })),
    onSettled: () => setProgress(null),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["dataSources.list"] }),
  });
  const choose = (f: File | null) => {
    setFile(f);
    upload.reset();
    if (f) {
      setName(f.name.replace(/\.[^.]+$/, ""));
      setFormat(formatOfFile(f.name) ?? "csv");
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (file) upload.mutate();
  };
  return (
    <Card title="Upload a dataset">
      <form className="stack" onSubmit={submit}>
        <Field label="File" hint="CSV with a header row, a JSON array of objects, or NDJSON. Up to tens of MB.">
          <input type="file" accept=".csv,.json,.ndjson,.jsonl,text/csv,application/json" onChange={(e) => choose(e.target.files?.[0] ?? null)} />
        </Field>
        <div className="grid two tight">
          <Field label="Name">
            <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Sales by region" />
          </Field>
          <Field label="Format">
            <select value={format} onChange={(e) => setFormat(e.target.value as DatasetFormat)}>
              <option value="csv">CSV</option>
              <option value="json">JSON</option>
              <option value="ndjson">NDJSON</option>
            </select>
          </Field>
        </div>
        <Field label="Indexed columns (optional)" hint="Columns buyers will filter on, comma-separated: they get an index.">
          <input value={filterable} onChange={(e) => setFilterable(e.target.value)} placeholder="region, year" />
        </Field>
        {progress ? (
          <Progress label={progress.stage === "sending" ? `Uploading ${file?.name}` : "Loading rows into the dataset"} fraction={progress.stage === "sending" ? progress.fraction : null} />
        ) : null}
        <ErrorNote error={upload.error} title="Upload failed:" />
        {upload.data ? (
          <Note kind="success">
            {upload.data.name} is ready: {upload.data.kind === "dataset" ? `${formatCount(upload.data.rowCount)} rows.` : ""}{" "}
            <Link to="/app/seller/products/new" search={{ source: upload.data.id }}>Create a product from it</Link>
          </Note>
        ) : null}
        <button className="button" type="submit" disabled={!file || upload.isPending}>
          {upload.isPending ? "Uploading…" : "Upload"}
        </button>
      </form>
    </Card>
  );
}

/** Validated by the procedure's own schema (src/data-sources/schema.ts); a URL or timeout the server refuses is shown on its field. */
function OriginCard() {
  const qc = useQueryClient();
  const form = useSchemaForm(createOriginInput, { name: "", url: "https://", timeoutMs: 5000 });
  const create = useMutation({
    mutationFn: (values: typeof createOriginInput._zod.input) => api.dataSources.createOrigin.mutate(values),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["dataSources.list"] }),
    onError: (error) => showServerError(form, error),
  });
  return (
    <Card title="Connect an HTTPS API">
      <form className="stack" noValidate onSubmit={form.handleSubmit((values) => create.mutate(values))}>
        <FormField form={form} name="name" label="Name">
          {(control) => <input placeholder="Live prices API" {...control} />}
        </FormField>
        <FormField form={form} name="url" label="URL" hint="Tessera calls it with the buyer's parameters and a signature header you can verify.">
          {(control) => <input type="url" {...control} />}
        </FormField>
        <FormField form={form} name="timeoutMs" label="Timeout (ms)" options={{ valueAsNumber: true }}>
          {(control) => <input type="number" min={100} max={30000} {...control} />}
        </FormField>
        <FormError form={form} />
        {create.data ? (
          <Note kind="success">
            <p>
              <strong>{create.data.name}</strong> is connected. Its signing secret, shown only now:
            </p>
            <CodeLine text={create.data.secret} />
            <p className="small">{create.data.verification}</p>
          </Note>
        ) : null}
        <button className="button" type="submit" disabled={create.isPending}>
          {create.isPending ? "Connecting…" : "Connect origin"}
        </button>
      </form>
    </Card>
  );
}
