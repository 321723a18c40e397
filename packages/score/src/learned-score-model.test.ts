import { createPoints, createRng } from "@mixdiff/core";
import { describe, expect, test } from "vitest";
import type { GatedLevel } from "./gated-level.js";
import { createLearnedModel, type FitDiagnostics, type ModelState } from "./learned-score-model.js";

// Two soft-gated levels over the same three atoms in 2-D (σ0 = 1), built by hand so each case is known.
const centers = Float64Array.from([-3, 0, 3, 0.5, 0, 4]);
const mass = Float64Array.from([0.5, 0.3, 0.2]);
function level(t: number, shift: number): GatedLevel {
  return {
    kind: "gated",
    t,
    centers,
    mass,
    degrees: Int32Array.from([0, 0, 0]),
    // degree 0: the single (constant) feature's coefficient per output coordinate
    coefficients: [Float64Array.from([shift, -shift]), Float64Array.from([shift, 0]), Float64Array.from([0, shift])],
    lower: new Float64Array(6).fill(-10),
    upper: new Float64Array(6).fill(10),
  };
}
function model(shiftHi: number, shiftLo: number) {
  const state: ModelState = {
    dim: 2,
    subspaceDim: 2,
    sigma0: 1,
    mean: new Float64Array(2),
    basis: Float64Array.from([1, 0, 0, 1]),
    tMin: 0.001,
    degree: 0,
    interpolation: "log-sigma",
    gating: "soft",
    outLower: new Float64Array(2).fill(-100),
    outUpper: new Float64Array(2).fill(100),
    levels: [level(3, shiftHi), level(0.5, shiftLo)],
  };
  const diagnostics = { levels: [], warnings: [], options: {} } as unknown as FitDiagnostics;
  return createLearnedModel(state, diagnostics, () => {
    throw new Error("not serialised in this test");
  });
}
/** E[μ | y] for the atoms at variance s2, written out directly (no code shared with the model). */
function atomsPosterior(y: readonly number[], s2: number): number[] {
  const w = [0, 1, 2].map((k) => {
    const d2 = (y[0]! - centers[2 * k]!) ** 2 + (y[1]! - centers[2 * k + 1]!) ** 2;
    return mass[k]! * Math.exp(-d2 / (2 * s2));
  });
  const z = w[0]! + w[1]! + w[2]!;
  return [0, 1].map((c) => (w[0]! * centers[c]! + w[1]! * centers[2 + c]! + w[2]! * centers[4 + c]!) / z);
}

describe("learned model between two levels (log-sigma interpolation)", () => {
  const rng = createRng(5);
  const y = createPoints(25, 2);
  for (let i = 0; i < y.data.length; i++) y.data[i] = 3 * rng.normal();
  const tm = Math.sqrt((1 + 0.5) * (1 + 3)) - 1; // the midpoint in ln σ²

  test("levels that are both the atoms' posterior (no correction, same atoms) give that posterior at σ²(t)", () => {
    const f = model(0, 0).posteriorMean(y, tm).data;
    for (let i = 0; i < y.rows; i++) {
      const want = atomsPosterior([y.data[2 * i]!, y.data[2 * i + 1]!], 1 + tm);
      for (let c = 0; c < 2; c++) expect(Math.abs(f[2 * i + c]! - want[c]!)).toBeLessThan(1e-12);
    }
    // at the levels themselves it is their posterior too
    const f3 = model(0, 0).posteriorMean(y, 3).data;
    const want = atomsPosterior([y.data[0]!, y.data[1]!], 4);
    expect(Math.abs(f3[0]! - want[0]!)).toBeLessThan(1e-12);
  });

  test("with a correction on either level, f̂ blends the two levels linearly in ln σ²", () => {
    for (const [hi, lo] of [
      [0.2, 0],
      [0, -0.3],
    ] as const) {
      const m = model(hi, lo);
      const a = m.posteriorMean(y, 0.5).data;
      const b = m.posteriorMean(y, 3).data;
      const mid = m.posteriorMean(y, tm).data;
      let differs = 0;
      for (let k = 0; k < mid.length; k++) {
        expect(Math.abs(mid[k]! - 0.5 * (a[k]! + b[k]!))).toBeLessThan(1e-12);
        const i = Math.floor(k / 2);
        differs = Math.max(
          differs,
          Math.abs(mid[k]! - atomsPosterior([y.data[2 * i]!, y.data[2 * i + 1]!], 1 + tm)[k % 2]!),
        );
      }
      expect(differs).toBeGreaterThan(0.01); // the correction is visible: the blend is not the atoms' posterior
    }
  });

  test("the divergence between pure levels is that of the atoms' posterior at σ²(t) (central differences)", () => {
    const m = model(0, 0);
    const div = m.divergence(y, tm);
    const h = 1e-5;
    for (let i = 0; i < 5; i++) {
      const p = [y.data[2 * i]!, y.data[2 * i + 1]!];
      let tr = 0;
      for (let c = 0; c < 2; c++) {
        const up = [...p];
        const dn = [...p];
        up[c]! += h;
        dn[c]! -= h;
        tr += (atomsPosterior(up, 1 + tm)[c]! - atomsPosterior(dn, 1 + tm)[c]!) / (2 * h);
      }
      // ∇·s = (∇·f − n)/σ²
      expect(Math.abs(div[i]! - (tr - 2) / (1 + tm))).toBeLessThan(1e-6);
    }
  });
});
