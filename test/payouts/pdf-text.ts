/**
 * A small PDF text extractor for tests: finds each content stream, inflates
 * it (FlateDecode, with the platform's DecompressionStream) and reads the
 * strings shown by `Tj` / `TJ`, hex (`<48656C6C6F>`) or literal (`(Hello)`).
 * One string per line, in drawing order. Enough for @cantoo/pdf-lib's output with
 * standard fonts; not a general PDF parser.
 */
function latin1(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 0x8000) out += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return out;
}

async function inflate(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function decodeLiteral(text: string): string {
  return text.replace(/\\([nrtbf()\\]|[0-7]{1,3})/g, (_, esc: string) => {
    const map: Record<string, string> = { n: "\n", r: "\r", t: "\t", b: "\b", f: "\f", "(": "(", ")": ")", "\\": "\\" };
    return map[esc] ?? String.fromCharCode(parseInt(esc, 8));
  });
}

export async function pdfText(pdf: Uint8Array<ArrayBuffer>): Promise<string> {
  const raw = latin1(pdf);
  const shown: string[] = [];
  const header = /<<((?:(?!>>)[\s\S])*?)>>\s*stream\r?\n/g;
  for (let match = header.exec(raw); match; match = header.exec(raw)) {
    const dict = match[1]!;
    const length = /\/Length (\d+)/.exec(dict);
    if (!length) continue;
    const start = match.index + match[0].length;
    let body = pdf.subarray(start, start + Number(length[1]));
    if (/\/FlateDecode/.test(dict)) body = await inflate(body);
    else if (/\/Filter/.test(dict)) continue;
    const content = latin1(body);
    for (const op of content.matchAll(/<([0-9A-Fa-f\s]*)>\s*Tj|\(((?:\\.|[^\\)])*)\)\s*Tj/g)) {
      if (op[1] !== undefined) {
        const hex = op[1].replace(/\s/g, "");
        shown.push(hex.match(/../g)?.map((h) => String.fromCharCode(parseInt(h, 16))).join("") ?? "");
      } else shown.push(decodeLiteral(op[2]!));
    }
  }
  return shown.join("\n");
}
