/** The hosted pages are deliberately plain: enough to click through a demo. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Stripe (local)</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 28rem; margin: 3rem auto; padding: 0 1rem; color: #1a1f36; }
  .card { border: 1px solid #e3e8ee; border-radius: 8px; padding: 1.5rem; }
  .muted { color: #697386; font-size: 0.9rem; }
  .error { color: #cd3d64; }
  button { background: #635bff; color: white; border: 0; border-radius: 6px; padding: 0.7rem 1.2rem; font-size: 1rem; cursor: pointer; }
  table { width: 100%; border-collapse: collapse; margin: 1rem 0; }
  td { padding: 0.3rem 0; } td:last-child { text-align: right; }
</style>
</head>
<body><div class="card">${body}</div>
<p class="muted">Local Stripe test server: no real card is charged.</p>
</body>
</html>`;
}

export function formatAmount(amount: number, currency: string): string {
  return `${(amount / 100).toFixed(2)} ${currency.toUpperCase()}`;
}
