import { Resvg } from "@resvg/resvg-js";

/** Renders an SVG document to PNG bytes with resvg (system fonts loaded for labels). */
export function svgToPng(svg: string, width?: number): Uint8Array {
  const r = new Resvg(svg, {
    fitTo: width ? { mode: "width", value: width } : { mode: "original" },
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" },
    background: "white",
  });
  return r.render().asPng();
}
