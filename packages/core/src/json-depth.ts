/**
 * Finds the first value of a JSON-like document nested deeper than `maxDepth` objects/arrays (the root object is
 * depth 1), without recursion, so a hostile document (20 000 nested objects) cannot overflow the stack, and a
 * cyclic object graph is reported instead of looping. Returns the path of that value (`diagnostics.x.x.x…`,
 * shortened after 8 segments), or `null` when the document is at most `maxDepth` deep. Callers throw their own
 * typed error (e.g. `MODEL_FORMAT`) before any recursive processing (checksums, `JSON.stringify`).
 *
 * @example
 * ```ts
 * import { findTooDeep } from "@mixdiff/core";
 * findTooDeep({ a: [1, { b: 2 }] }, 3); // null (depth 3)
 * findTooDeep({ a: [1, { b: { c: {} } }] }, 3); // "a[1].b"
 * ```
 */
export function findTooDeep(value: unknown, maxDepth: number): string | null {
  interface Frame {
    value: unknown;
    depth: number;
    parent: Frame | null;
    key: string | number;
  }
  const stack: Frame[] = [{ value, depth: 1, parent: null, key: "" }];
  while (stack.length > 0) {
    const f = stack.pop() as Frame;
    const v = f.value;
    if (v === null || typeof v !== "object") continue;
    if (f.depth > maxDepth) return pathOf(f);
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) {
        const c = v[i];
        if (c !== null && typeof c === "object") stack.push({ value: c, depth: f.depth + 1, parent: f, key: i });
      }
    } else {
      for (const k of Object.keys(v)) {
        const c = (v as Record<string, unknown>)[k];
        if (c !== null && typeof c === "object") stack.push({ value: c, depth: f.depth + 1, parent: f, key: k });
      }
    }
  }
  return null;
}

function pathOf(f: { parent: unknown; key: string | number }): string {
  const keys: (string | number)[] = [];
  for (let p = f as { parent: unknown; key: string | number } | null; p?.parent; p = p.parent as typeof p) {
    keys.push(p.key);
  }
  keys.reverse();
  const shown = keys.length > 8 ? [...keys.slice(0, 8), "…"] : keys;
  return (
    shown
      .map((k) => (typeof k === "number" ? `[${k}]` : k === "…" ? "…" : `.${k}`))
      .join("")
      .replace(/^\./, "") || "(root)"
  );
}
