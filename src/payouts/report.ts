/**
 * The PDF payout report a seller receives by e-mail: the month, what was
 * transferred and where, what carried in and out, and the itemized earnings
 * by product type and by product. Built with @cantoo/pdf-lib, the maintained
 * fork of pdf-lib (same API), which runs in workerd.
 */
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from "@cantoo/pdf-lib";
import { formatDecimal } from "../money";
import type { Payout, PayoutLine } from "./create";
import { byType } from "./earnings";
import { MICRO_PER_CENT } from "./money";

export interface ReportInput {
  company: { id: string; name: string };
  payout: Payout;
  lines: PayoutLine[];
}

const PAGE: [number, number] = [612, 792];
const MARGIN = 56;

/** "$1,234.50", or every digit when a sub-cent amount must not look rounded away. */
export function formatUsd(micro: number): string {
  const sign = micro < 0 ? "-" : "";
  const abs = Math.abs(micro);
  const exact = formatDecimal(abs, 2);
  const [whole, fraction = "00"] = exact.split(".");
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${sign}$${grouped}.${abs % MICRO_PER_CENT === 0 ? fraction.slice(0, 2) : fraction}`;
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

export function periodName(key: string): string {
  const [year, month] = key.split("-");
  return `${MONTHS[Number(month) - 1] ?? month} ${year}`;
}

/** Standard fonts encode WinAnsi only: anything else (and control characters) prints as "?". */
function printable(text: string): string {
  return [...text].map((ch) => (/^[\x20-\x7e\xa0-\xff]$/.test(ch) ? ch : "?")).join("");
}

class Writer {
  #page!: PDFPage;
  #y = 0;
  constructor(
    readonly doc: PDFDocument,
    readonly regular: PDFFont,
    readonly bold: PDFFont,
  ) {
    this.newPage();
  }

  newPage(): void {
    this.#page = this.doc.addPage(PAGE);
    this.#y = PAGE[1] - MARGIN;
  }

  gap(points: number): void {
    this.#y -= points;
  }

  /** One line of cells at x offsets; `right` cells are right-aligned at their x. */
  row(cells: { text: string; x: number; right?: boolean; bold?: boolean }[], size = 10): void {
    if (this.#y < MARGIN + size) this.newPage();
    for (const cell of cells) {
      const font = cell.bold ? this.bold : this.regular;
      const text = printable(cell.text);
      const width = font.widthOfTextAtSize(text, size);
      this.#page.drawText(text, { x: MARGIN + (cell.right ? cell.x - width : cell.x), y: this.#y, size, font, color: rgb(0.1, 0.1, 0.1) });
    }
    this.#y -= size * 1.6;
  }

  text(text: string, size = 10, bold = false): void {
    this.row([{ text, x: 0, bold }], size);
  }

  rule(): void {
    this.#page.drawLine({ start: { x: MARGIN, y: this.#y + 6 }, end: { x: PAGE[0] - MARGIN, y: this.#y + 6 }, thickness: 0.5, color: rgb(0.6, 0.6, 0.6) });
    this.#y -= 6;
  }
}

const statusText: Record<Payout["status"], string> = {
  paid: "Paid",
  rolled_over: "Rolled over (below the $25.00 minimum)",
  pending: "Pending",
  sending: "Pending",
  failed: "Failed, will be retried",
};

/** Renders the report. Deterministic for a given payout, so a retry stores the same bytes. */
export async function payoutReportPdf({ company, payout, lines }: ReportInput): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const when = new Date(payout.createdAt);
  doc.setTitle(`Tessera payout report ${payout.period}`);
  doc.setSubject(`Payout ${payout.id} for ${company.name}`);
  doc.setAuthor("Tessera");
  doc.setCreator("Tessera");
  doc.setProducer("Tessera (@cantoo/pdf-lib)");
  doc.setCreationDate(when);
  doc.setModificationDate(when);
  const w = new Writer(doc, await doc.embedFont(StandardFonts.Helvetica), await doc.embedFont(StandardFonts.HelveticaBold));

  w.text("Tessera payout report", 18, true);
  w.text(`${periodName(payout.period)}`, 12);
  w.gap(6);
  w.text(`Seller: ${company.name} (${company.id})`);
  w.text(`Payout: ${payout.id}`);
  w.text(`Status: ${statusText[payout.status]}`);
  if (payout.stripeAccountId) w.text(`Stripe account: ${payout.stripeAccountId}`);
  if (payout.transferId) w.text(`Stripe transfer: ${payout.transferId}`);
  w.gap(8);

  const amountX = 500;
  w.text("Summary", 12, true);
  w.rule();
  const summary: [string, number][] = [
    ["Carried in from earlier months", payout.carriedInUsd],
    ["Earnings this month (80% seller share, net of refunds)", payout.earningsUsd],
    ["Transferred to your Stripe account", payout.amountUsd],
    ["Carried to next month", payout.carriedOutUsd],
  ];
  for (const [label, amount] of summary) w.row([{ text: label, x: 0 }, { text: formatUsd(amount), x: amountX, right: true }]);
  w.gap(8);

  w.text("By product type", 12, true);
  w.rule();
  w.row([
    { text: "Type", x: 0, bold: true },
    { text: "Billed", x: 300, right: true, bold: true },
    { text: "Refunded", x: 390, right: true, bold: true },
    { text: "Earnings", x: amountX, right: true, bold: true },
  ]);
  for (const t of byType(lines)) {
    w.row([
      { text: t.productType === "asset" ? "Assets (executions)" : "Endpoints (requests)", x: 0 },
      { text: String(t.sales), x: 300, right: true },
      { text: String(t.refunds), x: 390, right: true },
      { text: formatUsd(t.earningsUsd), x: amountX, right: true },
    ]);
  }
  w.gap(8);

  w.text("By product", 12, true);
  w.rule();
  w.row([
    { text: "Product", x: 0, bold: true },
    { text: "Type", x: 230, bold: true },
    { text: "Billed", x: 340, right: true, bold: true },
    { text: "Refunded", x: 410, right: true, bold: true },
    { text: "Earnings", x: amountX, right: true, bold: true },
  ]);
  if (lines.length === 0) w.text("No sales this month.");
  for (const line of lines) {
    const name = line.productName.length > 42 ? `${line.productName.slice(0, 41)}...` : line.productName;
    w.row([
      { text: name, x: 0 },
      { text: line.productType === "asset" ? "Asset" : "Endpoint", x: 230 },
      { text: String(line.sales), x: 340, right: true },
      { text: String(line.refunds), x: 410, right: true },
      { text: formatUsd(line.earningsUsd), x: amountX, right: true },
    ]);
  }
  w.gap(12);
  w.text("Amounts are exact: transfers move whole cents, and any remainder below a cent carries to the next month.", 8);
  w.text("Payouts of $25.00 or more are transferred after each month end; smaller balances roll over.", 8);

  return doc.save({ useObjectStreams: false });
}
