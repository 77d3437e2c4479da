/**
 * Which hosts Tessera may send a request to on a seller's or a buyer's
 * behalf (HTTP origins, low-balance webhooks). The host is taken from a
 * parsed `URL`, so every spelling the WHATWG parser accepts has already been
 * normalised: `2130706433`, `127.1`, `0x7f000001`, `0177.0.0.1` and
 * `%31%32%37.0.0.1` are all `127.0.0.1`; `[::ffff:127.0.0.1]` is
 * `[::ffff:7f00:1]`; `LOCALHOST.` is `localhost.`. Classifying that one form
 * is what makes the check complete.
 */

export type HostClass = "public" | "loopback" | "refused";

/**
 * IPv4 blocks that are not the public internet (IANA special-purpose
 * registry, plus multicast and the reserved 240/4): [first address, prefix].
 */
const REFUSED_V4: [string, number][] = [
  ["0.0.0.0", 8], // "this network"; 0.0.0.0 reaches the local host on many stacks
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local, cloud metadata (169.254.169.254)
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.88.99.0", 24], // 6to4 relay anycast (deprecated)
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation
  ["203.0.113.0", 24], // documentation
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, and 255.255.255.255 broadcast
];

/**
 * Top-level names that only ever resolve inside a network: RFC 6761's
 * localhost, mDNS's .local, ICANN's private-use .internal
 * (metadata.google.internal), RFC 8375's home.arpa (all of .arpa), and the
 * de-facto private suffixes routers and companies use.
 */
const INTERNAL_TLDS = new Set(["localhost", "local", "internal", "localdomain", "arpa", "lan", "home", "corp", "intranet", "private"]);

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** `hostname` as `URL#hostname` gives it. */
export function classifyHost(hostname: string): HostClass {
  if (hostname.startsWith("[")) return classifyV6(hostname.slice(1, -1));
  if (V4.test(hostname)) return classifyV4(v4Number(hostname));
  return classifyName(hostname);
}

function classifyV4(address: number): HostClass {
  if (address >>> 24 === 127) return "loopback";
  for (const [first, prefix] of REFUSED_V4) {
    const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
    if ((address & mask) >>> 0 === v4Number(first)) return "refused";
  }
  return "public";
}

/**
 * Only global unicast (2000::/3) is public, minus its special blocks. That
 * one rule also refuses every form that embeds an IPv4 address: mapped
 * (::ffff:0:0/96), compatible (::/96), NAT64 (64:ff9b::/96) lie outside
 * 2000::/3, and 6to4 (2002::/16) and Teredo (2001::/32) are refused below.
 */
function classifyV6(text: string): HostClass {
  const groups = v6Groups(text);
  if (!groups) return "refused";
  if (groups.every((g, i) => g === (i === 7 ? 1 : 0))) return "loopback"; // ::1
  const [a, b] = groups as [number, number];
  if ((a & 0xe000) !== 0x2000) return "refused";
  if (a === 0x2001 && b < 0x0200) return "refused"; // 2001::/23 IETF protocol assignments, Teredo
  if (a === 0x2001 && b === 0x0db8) return "refused"; // documentation
  if (a === 0x2002) return "refused"; // 6to4: embeds an IPv4 address
  if (a === 0x3fff && b < 0x1000) return "refused"; // documentation (3fff::/20)
  return "public";
}

function classifyName(hostname: string): HostClass {
  const name = hostname.endsWith(".") ? hostname.slice(0, -1) : hostname;
  const labels = name.split(".");
  // A single label (`metadata`, `intranet`) is completed by the local resolver's search list.
  if (labels.length < 2 || labels.some((label) => label === "")) return name === "localhost" ? "loopback" : "refused";
  const tld = labels.at(-1)!;
  if (tld === "localhost") return "loopback";
  if (INTERNAL_TLDS.has(tld)) return "refused";
  return "public";
}

function v4Number(dotted: string): number {
  return dotted.split(".").reduce((n, part) => n * 256 + Number(part), 0);
}

/** The eight 16-bit groups of an IPv6 address as the URL parser serialises it (hex groups, at most one `::`). */
function v6Groups(text: string): number[] | null {
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const parse = (part: string) => (part === "" ? [] : part.split(":").map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN)));
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return groups.some(Number.isNaN) ? null : groups;
}
