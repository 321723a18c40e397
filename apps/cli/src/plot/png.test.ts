import { describe, expect, it } from "vitest";
import { svgToPng } from "./png.js";
import { Svg } from "./svg.js";

describe("svgToPng", () => {
  it("renders a PNG of the requested width", () => {
    const png = svgToPng(new Svg(100, 50).circle(50, 25, 10, { fill: "red" }).toString(), 200);
    expect(Array.from(png.subarray(1, 4))).toEqual([0x50, 0x4e, 0x47]); // "PNG"
    const view = new DataView(png.buffer, png.byteOffset);
    expect(view.getUint32(16)).toBe(200); // IHDR width
    expect(view.getUint32(20)).toBe(100); // IHDR height (aspect kept)
  });
});
