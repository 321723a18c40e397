import { createRng } from "@mixdiff/core";
import { expectClose } from "@mixdiff/test-utils";
import { describe, expect, test } from "vitest";
import { runLocally } from "./fit-tasks.js";
import { converge, selectAtoms } from "./select-atoms.js";

// Two well-separated atoms in 1-D (σ0 = 1): x = ±3 + ξ.
function pool(n: number, seed: number) {
  const r = createRng(seed);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = (r.uniform() < 0.5 ? -3 : 3) + r.normal();
  return { x, rows: n };
}

describe("atoms of the mixture base", () => {
  test("a spurious third atom (a split component) is removed; the two real ones stay", () => {
    const out = selectAtoms({
      centers: new Float64Array([-3, 2.8, 3.2]),
      mass: new Float64Array([0.5, 0.25, 0.25]),
      reg: pool(4000, 1),
      held: pool(2000, 2),
      m: 1,
      sigma0: 1,
      alphaMin: 0.05,
    });
    expect(out.mass.length).toBe(2);
    expect(Math.min(...Array.from(out.centers, (c) => Math.abs(c - 3)))).toBeLessThan(0.1);
  });
  test("two real atoms are both kept", () => {
    const out = selectAtoms({
      centers: new Float64Array([-3, 3]),
      mass: new Float64Array([0.5, 0.5]),
      reg: pool(4000, 3),
      held: pool(2000, 4),
      m: 1,
      sigma0: 1,
      alphaMin: 0.05,
    });
    expect(out.mass.length).toBe(2);
  });
  test("converge reaches the maximum likelihood: the means are the responsibility-weighted averages", () => {
    const data = pool(4000, 5);
    const { centers, mass } = runLocally(
      (function* () {
        yield { task: "init", data: { m: 1, pools: { reg: data, held: data, all: data } } } as const;
        return yield* converge({
          centers: new Float64Array([-1, 1]),
          mass: new Float64Array([0.5, 0.5]),
          rows: data.rows,
          m: 1,
          sigma0: 1,
        });
      })(),
    );
    // Fixed point of EM: c_k = Σ r_ik x_i / Σ r_ik.
    const s0 = [0, 0];
    const s1 = [0, 0];
    for (let i = 0; i < data.rows; i++) {
      const x = data.x[i]!;
      const l = [0, 1].map((k) => Math.log(mass[k]!) - (x - centers[k]!) ** 2 / 2);
      const z = Math.exp(l[0]!) + Math.exp(l[1]!);
      for (const k of [0, 1]) {
        const q = Math.exp(l[k]!) / z;
        s0[k] = s0[k]! + q;
        s1[k] = s1[k]! + q * x;
      }
    }
    for (const k of [0, 1]) expectClose(centers[k]!, s1[k]! / s0[k]!, { abs: 5e-7 });
  });
});
