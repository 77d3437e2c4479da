/**
 * Destinations Tessera must never call for a seller (HTTP origins) or a
 * buyer (low-balance webhooks), each with the host `new URL()` in workerd
 * turns it into, and public ones it must still accept. Shared by the SSRF
 * suites (test/data/destinations.test.ts, test/data-sources/ssrf.test.ts,
 * test/billing/alerts-ssrf.test.ts).
 */
import { env } from "cloudflare:workers";
import type { TesseraClient } from "../client/src";
import { clientWithEnv, fetchWithEnv } from "./worker-env";

/** [url, the hostname the URL parser gives, loopback (allowed with ALLOW_INSECURE_ORIGINS)] */
export const REFUSED: [string, string, boolean][] = [
  // The list
  ["https://127.0.0.1/rows", "127.0.0.1", true],
  ["https://localhost/rows", "localhost", true],
  ["https://[::1]/rows", "[::1]", true],
  ["https://[::ffff:127.0.0.1]/rows", "[::ffff:7f00:1]", false],
  ["https://10.0.0.1/rows", "10.0.0.1", false],
  ["https://10.255.255.255/rows", "10.255.255.255", false],
  ["https://172.16.0.1/rows", "172.16.0.1", false],
  ["https://172.31.255.255/rows", "172.31.255.255", false],
  ["https://192.168.1.1/rows", "192.168.1.1", false],
  ["https://169.254.169.254/latest/meta-data/", "169.254.169.254", false],
  ["https://0.0.0.0/rows", "0.0.0.0", false],
  ["https://2130706433/rows", "127.0.0.1", true],
  ["https://127.1/rows", "127.0.0.1", true],
  ["https://0x7f000001/rows", "127.0.0.1", true],
  ["https://metadata.google.internal/computeMetadata/v1/", "metadata.google.internal", false],
  // More spellings the parser normalises
  ["https://0177.0.0.1/rows", "127.0.0.1", true],
  ["https://0x7f.1/rows", "127.0.0.1", true],
  ["https://%31%32%37.0.0.1/rows", "127.0.0.1", true],
  ["https://\uff11\uff12\uff17.0.0.1/rows", "127.0.0.1", true],
  ["https://127.0.0.1./rows", "127.0.0.1", true],
  ["https://127.8.9.10/rows", "127.8.9.10", true],
  ["https://0/rows", "0.0.0.0", false],
  ["https://0251.0376.0251.0376/latest/meta-data/", "169.254.169.254", false],
  ["https://0xa9fea9fe/latest/meta-data/", "169.254.169.254", false],
  ["https://[0:0:0:0:0:0:0:1]/rows", "[::1]", true],
  ["https://[::]/rows", "[::]", false],
  ["https://[::127.0.0.1]/rows", "[::7f00:1]", false],
  ["https://[::ffff:169.254.169.254]/rows", "[::ffff:a9fe:a9fe]", false],
  ["https://[64:ff9b::169.254.169.254]/rows", "[64:ff9b::a9fe:a9fe]", false],
  ["https://[2002:7f00:1::1]/rows", "[2002:7f00:1::1]", false],
  ["https://[2001::1]/rows", "[2001::1]", false],
  ["https://[2001:db8::1]/rows", "[2001:db8::1]", false],
  ["https://[fe80::1]/rows", "[fe80::1]", false],
  ["https://[fc00::1]/rows", "[fc00::1]", false],
  ["https://[fd12:3456::1]/rows", "[fd12:3456::1]", false],
  ["https://[ff02::1]/rows", "[ff02::1]", false],
  // Other reserved IPv4 blocks
  ["https://100.64.0.1/rows", "100.64.0.1", false],
  ["https://100.127.255.255/rows", "100.127.255.255", false],
  ["https://192.0.0.8/rows", "192.0.0.8", false],
  ["https://192.0.2.1/rows", "192.0.2.1", false],
  ["https://198.18.0.1/rows", "198.18.0.1", false],
  ["https://198.51.100.1/rows", "198.51.100.1", false],
  ["https://203.0.113.1/rows", "203.0.113.1", false],
  ["https://224.0.0.1/rows", "224.0.0.1", false],
  ["https://239.255.255.250/rows", "239.255.255.250", false],
  ["https://240.0.0.1/rows", "240.0.0.1", false],
  ["https://255.255.255.255/rows", "255.255.255.255", false],
  // Internal names
  ["https://LOCALHOST./rows", "localhost.", true],
  ["https://api.localhost/rows", "api.localhost", true],
  ["https://metadata.google.internal./computeMetadata/v1/", "metadata.google.internal.", false],
  ["https://printer.local/rows", "printer.local", false],
  ["https://db.localdomain/rows", "db.localdomain", false],
  ["https://nas.home.arpa/rows", "nas.home.arpa", false],
  ["https://1.0.0.127.in-addr.arpa/rows", "1.0.0.127.in-addr.arpa", false],
  ["https://router.lan/rows", "router.lan", false],
  ["https://wiki.corp/rows", "wiki.corp", false],
  ["https://metadata/computeMetadata/v1/", "metadata", false],
  ["https://intranet/rows", "intranet", false],
  ["https://a..b/rows", "a..b", false],
];

/** Public hosts, some just outside a refused block. */
export const ACCEPTED = [
  "https://data.example.com/rows",
  "https://api.example.co.uk:8443/v1/rows?x=1",
  "https://8.8.8.8/rows",
  "https://172.15.255.255/rows",
  "https://172.32.0.1/rows",
  "https://100.63.255.255/rows",
  "https://100.128.0.1/rows",
  "https://192.169.0.1/rows",
  "https://169.255.0.1/rows",
  "https://[2606:4700:4700::1111]/rows",
  "https://example.com./rows",
];

/** The fixed answer for a refused destination (src/data/origins/url.ts). */
export const refusedText = (label: string) =>
  `The ${label} must point to a public internet host: private, loopback, link-local and reserved addresses and internal host names are refused.`;

/** The worker as deployed: ALLOW_INSECURE_ORIGINS unset. (The suites' own bindings set it for the local test origin.) */
export const productionEnv = { ...env, ALLOW_INSECURE_ORIGINS: undefined } as Env;
export const productionFetch = fetchWithEnv({ ALLOW_INSECURE_ORIGINS: undefined });
export const productionClient = (apiKey: string): TesseraClient => clientWithEnv({ ALLOW_INSECURE_ORIGINS: undefined }, apiKey);
