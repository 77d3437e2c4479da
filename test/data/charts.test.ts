import { describe, expect, it } from "vitest";
import { escapeXml, niceTicks, renderChart } from "../../src/data/charts/svg";

/**
 * A small well-formedness check (workerd has no DOMParser): tags nest and
 * close, attributes are quoted, text holds no raw `<` or stray `&`.
 */
function checkXml(xml: string): { tags: string[]; texts: string[] } {
  const stack: string[] = [];
  const tags: string[] = [];
  const texts: string[] = [];
  const token = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < xml.length && (m = token.exec(xml))) {
    at = token.lastIndex;
    const [, closing, name, , selfClosing, text] = m;
    if (text !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(text)) throw new Error(`stray & in ${text}`);
      texts.push(text);
    } else if (closing) {
      if (stack.pop() !== name) throw new Error(`</${name}> closes nothing open`);
    } else {
      tags.push(name!);
      if (!selfClosing) stack.push(name!);
    }
  }
  if (at !== xml.length) throw new Error(`not XML at ${at}: ${xml.slice(at, at + 40)}`);
  if (stack.length) throw new Error(`unclosed ${stack.join(",")}`);
  return { tags, texts };
}

describe("renderChart", () => {
  const labels = ["<script>alert(1)</script>", 'Tom & "Jerry"', "plain"];

  it("renders a bar chart with axes, a viewBox and escaped labels", () => {
    const svg = renderChart({ type: "bar", title: "Sales <2024> & more", labels, values: [3, 7.5, 0] });
    const { tags, texts } = checkXml(svg);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 640 360"/);
    expect(tags.filter((t) => t === "rect").length).toBe(1 + 3); // background + bars
    expect(tags).toContain("line");
    expect(svg).not.toContain("<script>");
    expect(texts).toContain("&lt;script&gt;alert(1…"); // truncated to 16 characters, then escaped
    expect(texts).toContain("Tom &amp; &quot;Jerry&quot;");
    expect(texts).toContain("Sales &lt;2024&gt; &amp; more");
    expect(texts).toEqual(expect.arrayContaining(["0", "2", "4", "6", "8"])); // y ticks
  });

  it("renders a line chart, negative values and gaps", () => {
    const svg = renderChart({ type: "line", labels: ["a", "b", "c", "d"], values: [-5, 10, null, 2500] });
    const { tags, texts } = checkXml(svg);
    expect(tags).toContain("polyline");
    expect(tags.filter((t) => t === "circle")).toHaveLength(3);
    expect(texts).toEqual(expect.arrayContaining(["-1k", "0", "1k", "3k"]));
  });

  it("says so when there is no data", () => {
    const { texts } = checkXml(renderChart({ type: "bar", labels: [], values: [] }));
    expect(texts).toContain("No data");
  });

  it("thins and slants crowded labels", () => {
    const many = Array.from({ length: 100 }, (_, i) => `label ${i}`);
    const svg = renderChart({ type: "bar", labels: many, values: many.map((_, i) => i) });
    checkXml(svg);
    expect(svg.match(/rotate\(-40/g)?.length).toBe(20); // every 5th of 100
  });

  it("escapes all five XML specials and picks round ticks", () => {
    expect(escapeXml(`<a href="x">&'`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&apos;");
    expect(niceTicks(0, 7.5)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(-5, 2500)).toEqual([-1000, 0, 1000, 2000, 3000]);
    expect(niceTicks(0, 0)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
});
