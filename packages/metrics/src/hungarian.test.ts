import { createRng, isMixdiffError } from "@mixdiff/core";
import { describe, expect, test } from "vitest";
import { hungarian } from "./hungarian.js";

/** Minimum total cost by enumerating all injective maps of the smaller side (independent brute force). */
function bruteForce(cost: Float64Array, n: number, m: number): number {
  const rowsFirst = n <= m;
  const a = rowsFirst ? n : m;
  const b = rowsFirst ? m : n;
  const at = (i: number, j: number) => (rowsFirst ? cost[i * m + j]! : cost[j * m + i]!);
  let best = Infinity;
  const used = new Array<boolean>(b).fill(false);
  const rec = (i: number, acc: number) => {
    if (i === a) {
      best = Math.min(best, acc);
      return;
    }
    for (let j = 0; j < b; j++) {
      if (used[j]) continue;
      used[j] = true;
      rec(i + 1, acc + at(i, j));
      used[j] = false;
    }
  };
  rec(0, 0);
  return best;
}

function check(assignment: Int32Array, cost: Float64Array, n: number, m: number): number {
  expect(assignment.length).toBe(n);
  const cols = new Set<number>();
  let total = 0;
  let assigned = 0;
  for (let i = 0; i < n; i++) {
    const j = assignment[i]!;
    if (j < 0) continue;
    expect(cols.has(j)).toBe(false);
    cols.add(j);
    total += cost[i * m + j]!;
    assigned++;
  }
  expect(assigned).toBe(Math.min(n, m));
  return total;
}

describe("hungarian", () => {
  test("doc example", () => {
    expect(Array.from(hungarian(new Float64Array([4, 1, 3, 2, 0, 5, 3, 2, 2]), 3, 3))).toEqual([1, 0, 2]);
  });

  const shapes = [
    [1, 1],
    [3, 3],
    [4, 6],
    [6, 4],
    [5, 5],
    [2, 7],
    [7, 3],
  ] as const;
  for (const [n, m] of shapes) {
    test(`optimal on random ${n} × ${m} costs (vs brute force)`, () => {
      const rng = createRng(`${n}x${m}`);
      for (let rep = 0; rep < 20; rep++) {
        const cost = new Float64Array(n * m);
        // integer costs create ties, real ones do not: test both
        for (let k = 0; k < cost.length; k++)
          cost[k] = rep % 2 ? Math.floor(rng.uniform() * 5) : rng.uniform() * 10 - 3;
        expect(check(hungarian(cost, n, m), cost, n, m)).toBeCloseTo(bruteForce(cost, n, m), 10);
      }
    });
  }

  test("empty and invalid input", () => {
    expect(hungarian(new Float64Array(0), 0, 3).length).toBe(0);
    let err: unknown;
    try {
      hungarian(new Float64Array(5), 2, 3);
    } catch (e) {
      err = e;
    }
    expect(isMixdiffError(err, "DIMENSION_MISMATCH")).toBe(true);
    try {
      hungarian(new Float64Array([1, Number.NaN]), 1, 2);
    } catch (e) {
      err = e;
    }
    expect(isMixdiffError(err, "NON_FINITE_INPUT")).toBe(true);
  });
});
