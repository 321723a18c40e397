import { describe, expect, test } from "vitest";
import { ArgSorter } from "./argsort.js";
import { createRng } from "./rng.js";

/** Reference: a comparator sort of the indices, ties by index (stable). */
function reference(v: Float64Array): number[] {
  return Array.from(v, (_, i) => i).sort((a, b) => v[a]! - v[b]! || a - b);
}

function argsort(v: Float64Array, sorter = new ArgSorter(v.length)): number[] {
  const out = new Uint32Array(v.length);
  sorter.argsort(v, out);
  return Array.from(out);
}

describe("ArgSorter", () => {
  test("the documented example", () => {
    expect(argsort(new Float64Array([3, -1, 2, -1]))).toEqual([1, 3, 2, 0]);
  });

  test("matches a stable comparator sort on mixed-sign values spanning many magnitudes, with ties", () => {
    const rng = createRng("argsort");
    const v = new Float64Array(5000);
    for (let i = 0; i < v.length; i++) {
      const u = rng.uniform();
      // a mix of normals, huge and tiny magnitudes, and repeated values
      v[i] =
        u < 0.5
          ? rng.normal()
          : u < 0.7
            ? (rng.normal() * 1e300) / (1 + i)
            : u < 0.8
              ? rng.normal() * 1e-310
              : Math.round(rng.normal() * 3) + 0; // + 0: no -0 (the comparator ties it with +0)
    }
    expect(argsort(v)).toEqual(reference(v));
  });

  test("orders values equal in their high 32 bits (the insertion pass) and the infinities", () => {
    const e = 2 ** -52;
    const v = new Float64Array([1 + 3 * e, 1, -Infinity, 1 + e, -(1 + e), Infinity, -1, 1 + 2 * e, -(1 + 2 * e)]);
    expect(argsort(v)).toEqual(reference(v));
    expect(argsort(v)).toEqual([2, 8, 4, 6, 1, 3, 7, 0, 5]);
  });

  test("-0 sorts before +0; one sorter reuses its buffers for shorter arrays", () => {
    const sorter = new ArgSorter(10);
    expect(argsort(new Float64Array([0, -0, 0]), sorter)).toEqual([1, 0, 2]);
    expect(argsort(new Float64Array([5, 4, 3, 2, 1, 0, -1]), sorter)).toEqual([6, 5, 4, 3, 2, 1, 0]);
    expect(argsort(new Float64Array([]), sorter)).toEqual([]);
    // a subarray view (non-zero byteOffset) is read in place
    const base = new Float64Array([9, 2, 1, 3]);
    expect(argsort(base.subarray(1), sorter)).toEqual([1, 0, 2]);
  });
});
