/** A tiny, dependency-free SVG document builder: elements are escaped strings appended in order. */

/** Escapes text for XML content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);
}

/** Formats a coordinate compactly (2 decimals, no trailing zeros); non-finite values are refused. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`svg: non-finite coordinate ${x}`);
  const r = Math.round(x * 100) / 100;
  return Object.is(r, -0) ? "0" : String(r);
}

export type Attrs = Record<string, string | number | undefined>;

function attrs(a: Attrs): string {
  let s = "";
  for (const [k, v] of Object.entries(a)) {
    if (v === undefined) continue;
    if (!/^[a-zA-Z_:][-a-zA-Z0-9_:.]*$/.test(k)) throw new Error(`svg: invalid attribute name ${k}`);
    s += ` ${k}="${escapeXml(typeof v === "number" ? fmt(v) : v)}"`;
  }
  return s;
}

/** An SVG document under construction. */
export class Svg {
  private readonly parts: string[] = [];
  constructor(
    readonly width: number,
    readonly height: number,
  ) {}
  /** Appends `<name attrs/>` or `<name attrs>text</name>`. */
  el(name: string, a: Attrs, text?: string): this {
    this.parts.push(text === undefined ? `<${name}${attrs(a)}/>` : `<${name}${attrs(a)}>${escapeXml(text)}</${name}>`);
    return this;
  }
  rect(x: number, y: number, w: number, h: number, a: Attrs = {}): this {
    return this.el("rect", { x, y, width: w, height: h, ...a });
  }
  circle(cx: number, cy: number, r: number, a: Attrs = {}): this {
    return this.el("circle", { cx, cy, r, ...a });
  }
  line(x1: number, y1: number, x2: number, y2: number, a: Attrs = {}): this {
    return this.el("line", { x1, y1, x2, y2, ...a });
  }
  polyline(pts: readonly (readonly [number, number])[], a: Attrs = {}): this {
    return this.el("polyline", { points: pts.map(([x, y]) => `${fmt(x)},${fmt(y)}`).join(" "), fill: "none", ...a });
  }
  text(x: number, y: number, s: string, a: Attrs = {}): this {
    return this.el("text", { x, y, "font-family": "DejaVu Sans, Arial, sans-serif", "font-size": 12, ...a }, s);
  }
  /** Defines a rectangular clip path `id` (use it with `group({ "clip-path": "url(#id)" })`). */
  clipRect(id: string, x: number, y: number, w: number, h: number): this {
    this.parts.push(`<clipPath${attrs({ id })}><rect${attrs({ x, y, width: w, height: h })}/></clipPath>`);
    return this;
  }
  /** Opens a group; close it with {@link Svg.end}. */
  group(a: Attrs = {}): this {
    this.parts.push(`<g${attrs(a)}>`);
    return this;
  }
  end(): this {
    this.parts.push("</g>");
    return this;
  }
  /** The complete document. */
  toString(): string {
    return (
      `<svg xmlns="http://www.w3.org/2000/svg" width="${this.width}" height="${this.height}" viewBox="0 0 ${this.width} ${this.height}">` +
      `<rect width="100%" height="100%" fill="white"/>` +
      this.parts.join("") +
      "</svg>\n"
    );
  }
}
