/**
 * JSON with the keys of every object sorted (by UTF-16 code units, as `Array.prototype.sort` does), so two equal
 * values always give the same text. Numbers use JavaScript's shortest round-trip form (`JSON.stringify`), object
 * members whose value is `undefined` are dropped (as `JSON.stringify` drops them), arrays keep their order. No
 * whitespace. This is the text mixdiff's model files are checksummed over.
 *
 * @example
 * ```ts
 * import { canonicalJson } from "@mixdiff/core";
 * canonicalJson({ b: [1, 0.1], a: { d: null, c: "x" } }); // '{"a":{"c":"x","d":null},"b":[1,0.1]}'
 * ```
 */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((x) => canonicalJson(x)).join(",")}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(",")}}`;
}

/**
 * A 64-bit content hash as 16 hex digits: two independent 32-bit hashes of the string's UTF-16 code units. The
 * first 8 digits are FNV-1a 32-bit (offset basis `0x811c9dc5`, prime `0x01000193`, one step per code unit); the last
 * 8 use the same prime from the basis `0x01000193 ^ 0x5bd1e995` with an extra `h ^= h >>> 13` mix per step. A
 * checksum against accidental corruption, not a cryptographic hash.
 *
 * @example
 * ```ts
 * import { fnv1a64 } from "@mixdiff/core";
 * fnv1a64("a").slice(0, 8); // "e40c292c", the FNV-1a 32-bit test vector of "a"
 * ```
 */
export function fnv1a64(s: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x01000193) >>> 0;
    h2 = (h2 ^ (h2 >>> 13)) >>> 0;
  }
  return h1.toString(16).padStart(8, "0") + h2.toString(16).padStart(8, "0");
}
