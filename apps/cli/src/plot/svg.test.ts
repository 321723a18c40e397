import { describe, expect, it } from "vitest";
import { boundsOf, drawPanels, ticks } from "./plots.js";
import { escapeXml, fmt, Svg } from "./svg.js";

describe("Svg builder", () => {
  it("escapes text and attribute values and rounds coordinates", () => {
    const s = new Svg(10, 20).text(1.234, 2, 'a<b & "c"', { class: "x'y" }).toString();
    expect(s).toContain('<text x="1.23" y="2"');
    expect(s).toContain("a&lt;b &amp; &quot;c&quot;");
    expect(s).toContain('class="x&apos;y"');
    expect(s.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="20"')).toBe(true);
    expect(escapeXml("<&>")).toBe("&lt;&amp;&gt;");
  });
  it("refuses non-finite coordinates and bad attribute names", () => {
    expect(() => fmt(Number.NaN)).toThrow(RangeError);
    expect(() => new Svg(1, 1).el("rect", { "bad name": 1 })).toThrow(/invalid attribute/);
    expect(fmt(-0.001)).toBe("0");
  });
});

describe("plots", () => {
  it("ticks are round numbers covering the range", () => {
    expect(ticks(-5.3, 5.3)).toEqual([-5, 0, 5]);
    expect(ticks(-4.5, 4.5)).toEqual([-4, -2, 0, 2, 4]);
    expect(ticks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
  it("bounds are square and contain the bulk of the points", () => {
    const b = boundsOf([{ label: "", color: "", cols: 2, data: [0, 0, 10, 2, 5, 1] }]);
    expect(b.xMax - b.xMin).toBeCloseTo(b.yMax - b.yMin, 12);
    expect(b.xMin).toBeLessThan(0);
    expect(b.xMax).toBeGreaterThan(10);
  });
  it("draws one circle per point inside the bounds and skips the others", () => {
    const svg = drawPanels(
      [{ title: "t", series: [{ label: "s", color: "red", cols: 2, data: [0, 0, 1, 1, 100, 100] }] }],
      { xMin: -2, xMax: 2, yMin: -2, yMax: 2 },
    );
    expect(svg.match(/<circle /g)).toHaveLength(2);
    expect(svg).toContain(">t</text>");
  });
  it("draws arrows and clipped paths", () => {
    const svg = drawPanels(
      [
        {
          title: "f",
          arrows: [{ label: "a", color: "blue", arrows: [[0, 0, 1, 0]] }],
          paths: [
            {
              label: "p",
              color: "green",
              paths: [
                [
                  [0, 0],
                  [1, 1],
                ],
              ],
            },
          ],
        },
      ],
      { xMin: -2, xMax: 2, yMin: -2, yMax: 2 },
    );
    expect(svg).toContain("<polygon");
    expect(svg).toContain("<polyline");
    expect(svg).toContain('clip-path="url(#panel0)"');
  });
});
