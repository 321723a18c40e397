import { describe, expect, test } from "vitest";
import { findTooDeep } from "./json-depth.js";

describe("findTooDeep", () => {
  test("measures depth without recursion: 200 000 nested objects are reported, not a stack overflow", () => {
    const deep: Record<string, unknown> = {};
    let cur = deep;
    for (let i = 0; i < 200_000; i++) {
      const next = {};
      cur.x = next;
      cur = next;
    }
    expect(findTooDeep({ diagnostics: deep }, 32)).toBe("diagnostics.x.x.x.x.x.x.x…");
    expect(findTooDeep(JSON.parse(`${"[".repeat(50_000)}${"]".repeat(50_000)}`), 10)).toBe("[0][0][0][0][0][0][0][0]…");
  });
  test("documents at most maxDepth deep pass; scalars are depth 0", () => {
    expect(findTooDeep({ a: [1, { b: 2 }] }, 3)).toBeNull();
    expect(findTooDeep({ a: [1, { b: { c: {} } }] }, 3)).toBe("a[1].b");
    expect(findTooDeep(5, 0)).toBeNull();
    expect(findTooDeep([], 0)).toBe("(root)");
  });
  test("a cyclic object graph is reported instead of looping", () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(findTooDeep(a, 16)).toMatch(/^self\.self/);
  });
});
