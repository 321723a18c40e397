import { describe, expect, test } from "vitest";
import { canonicalJson, fnv1a64 } from "./canonical-json.js";

/** FNV-1a 32-bit straight from the spec, in BigInt arithmetic mod 2^32 (independent of the Math.imul code). */
function fnv1a32Spec(s: string): bigint {
  let h = 0x811c9dc5n;
  for (let i = 0; i < s.length; i++) {
    h ^= BigInt(s.charCodeAt(i));
    h = (h * 0x01000193n) % 2n ** 32n;
  }
  return h;
}

describe("canonicalJson", () => {
  test("sorts keys at every level, whatever the insertion order", () => {
    const a = { b: 1, a: { z: true, y: [{ d: 1, c: 2 }] } };
    const b = { a: { y: [{ c: 2, d: 1 }], z: true }, b: 1 };
    expect(canonicalJson(a)).toBe('{"a":{"y":[{"c":2,"d":1}],"z":true},"b":1}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
    // code-unit order: upper case before lower case, "10" before "9"
    expect(canonicalJson({ b: 0, B: 0, "9": 0, "10": 0 })).toBe('{"10":0,"9":0,"B":0,"b":0}');
  });

  test("numbers in shortest round-trip form; undefined members dropped; no whitespace", () => {
    expect(canonicalJson([0.1, 1e21, 1e-7, -0, 5e-324, 123456789.125, 2 ** 53])).toBe(
      "[0.1,1e+21,1e-7,0,5e-324,123456789.125,9007199254740992]",
    );
    expect(canonicalJson({ a: undefined, b: null, c: "é\n" })).toBe('{"b":null,"c":"é\\n"}');
  });

  test("nested arrays keep their order", () => {
    expect(canonicalJson([[3, [2, [1]]], [], [[]]])).toBe("[[3,[2,[1]]],[],[[]]]");
    expect(
      canonicalJson({
        m: [
          [1, 2],
          [3, 4],
        ],
      }),
    ).toBe('{"m":[[1,2],[3,4]]}');
  });
});

describe("fnv1a64", () => {
  test("its first half is FNV-1a 32-bit: the published vectors and a spec implementation", () => {
    // published FNV-1a 32-bit test vectors
    expect(fnv1a64("").slice(0, 8)).toBe("811c9dc5");
    expect(fnv1a64("a").slice(0, 8)).toBe("e40c292c");
    expect(fnv1a64("foobar").slice(0, 8)).toBe("bf9cf968");
    for (const s of ["a", "mixdiff-score", '{"model":{"dim":2}}']) {
      expect(fnv1a64(s).slice(0, 8)).toBe(fnv1a32Spec(s).toString(16).padStart(8, "0"));
    }
  });

  test("its second half follows the documented variant; 16 hex digits; sensitive to one character", () => {
    const spec = (s: string) => {
      let h = 0x01000193n ^ 0x5bd1e995n;
      for (let i = 0; i < s.length; i++) {
        h = ((h ^ BigInt(s.charCodeAt(i))) * 0x01000193n) % 2n ** 32n;
        h ^= h >> 13n;
      }
      return h.toString(16).padStart(8, "0");
    };
    for (const s of ["", "a", "foobar", "{}"]) expect(fnv1a64(s).slice(8)).toBe(spec(s));
    expect(fnv1a64("abc")).toMatch(/^[0-9a-f]{16}$/);
    expect(fnv1a64("abc")).not.toBe(fnv1a64("abd"));
  });
});
