import { createRng } from "@mixdiff/core";
import { expectClose } from "@mixdiff/test-utils";
import { describe, expect, test } from "vitest";
import { applyDataStep, type FitData, type Pool } from "./fit-tasks.js";
import { runBlock, runLocally } from "./run-steps.js";
import { converge, selectAtoms } from "./select-atoms.js";

// Two well-separated atoms in 1-D (σ0 = 1): x = ±3 + ξ.
function pool(n: number, seed: number) {
  const r = createRng(seed);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = (r.uniform() < 0.5 ? -3 : 3) + r.normal();
  return { x, rows: n };
}

/** `selectAtoms` on this thread, with `reg` and `held` as the fit's pools. */
function select(o: { centers: Float64Array; mass: Float64Array; reg: Pool; held: Pool; alphaMin: number }) {
  const { reg, held, ...rest } = o;
  return runLocally(
    (function* () {
      yield { task: "init", data: { m: 1, pools: { reg, held, all: reg } } } as const;
      return yield* selectAtoms({ ...rest, m: 1, sigma0: 1 });
    })(),
  );
}

describe("atoms of the mixture base", () => {
  test("a spurious third atom (a split component) is removed; the two real ones stay", () => {
    const out = select({
      centers: new Float64Array([-3, 2.8, 3.2]),
      mass: new Float64Array([0.5, 0.25, 0.25]),
      reg: pool(4000, 1),
      held: pool(2000, 2),
      alphaMin: 0.05,
    });
    expect(out.mass.length).toBe(2);
    expect(Math.min(...Array.from(out.centers, (c) => Math.abs(c - 3)))).toBeLessThan(0.1);
  });
  test("two real atoms are both kept", () => {
    const out = select({
      centers: new Float64Array([-3, 3]),
      mass: new Float64Array([0.5, 0.5]),
      reg: pool(4000, 3),
      held: pool(2000, 4),
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
  test("on a continuous Q0 converge stops long before the 500-step cap, its atoms within half their error of the 500-step fit's", () => {
    // Means on a circle of radius 4 (σ0 = 1), 16 starting atoms on it: the likelihood has a flat ridge along the
    // circle, where plain EM creeps for hundreds of steps.
    const r = createRng(9);
    const n = 6000;
    const x = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      const a = 2 * Math.PI * r.uniform();
      x[2 * i] = 4 * Math.cos(a) + r.normal();
      x[2 * i + 1] = 4 * Math.sin(a) + r.normal();
    }
    const K = 16;
    const c0 = new Float64Array(2 * K);
    for (let k = 0; k < K; k++) {
      const a = (2 * Math.PI * (k + 0.3 * (k % 3))) / K;
      c0[2 * k] = 3 * Math.cos(a);
      c0[2 * k + 1] = 3 * Math.sin(a);
    }
    const w0 = new Float64Array(K).fill(1 / K);
    const data = { x, rows: n };
    const fitData: FitData = { m: 2, pools: { reg: data, held: data, all: data } };
    const state: { base?: FitData; data?: FitData } = {};
    applyDataStep(state, { task: "init", data: fitData });
    const run = (cycleNats?: number) => {
      const steps = converge({ centers: c0, mass: w0, rows: n, m: 2, sigma0: 1, cycleNats });
      let maps = 0;
      let it = steps.next();
      while (!it.done) {
        const step = it.value;
        if (step.task === "init" || step.task === "window") throw new Error("unexpected data step");
        maps++;
        it = steps.next(Array.from({ length: step.blocks }, (_, b) => runBlock(state.data!, step, b)));
      }
      return { ...it.value, maps };
    };
    const fitted = run();
    // The same SQUAREM run to the 500-step cap: the reference likelihood.
    const long = run(0);
    const lEm = logLik(x, long.centers, long.mass);
    const lConverge = logLik(x, fitted.centers, fitted.mass);
    const maps = fitted.maps;
    // The 500-step fit runs 500+ maps; the rule stops in well under that (107 measured) …
    expect(long.maps).toBeGreaterThanOrEqual(500);
    expect(maps).toBeLessThan(300);
    // … short of it by a move of at most half the fit's own error: with D = K(m+1) = 48 parameters the error has
    // Fisher length ≈ √D, a shortfall of δ nats is a move of √(2δ), so δ ≤ D/8 = 6 nats (1.2 measured, 2e-4 nats
    // per point), while the start is ~3 000 nats below.
    expect(lConverge).toBeGreaterThan(lEm - (K * 3) / 8);
    expect(logLik(x, c0, w0)).toBeLessThan(lEm - 100);
  });
});

/** Σ_i ln Σ_k w_k N(x_i; c_k, I) (2-D, up to the constant). */
function logLik(x: Float64Array, c: Float64Array, w: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length / 2; i++) {
    let z = 0;
    for (let k = 0; k < w.length; k++)
      z += w[k]! * Math.exp(-((x[2 * i]! - c[2 * k]!) ** 2 + (x[2 * i + 1]! - c[2 * k + 1]!) ** 2) / 2);
    s += Math.log(z);
  }
  return s;
}
