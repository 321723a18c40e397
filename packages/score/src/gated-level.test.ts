import { createRng } from "@mixdiff/core";
import { expectClose } from "@mixdiff/test-utils";
import { describe, expect, test } from "vitest";
import { type GatedLevel, predictGated } from "./gated-level.js";
import { CORRECTION_OFF, CORRECTION_ON, correctionWeight } from "./gates.js";
import { levelFeatures } from "./level-features.js";
import { createWorkspace } from "./level-state.js";

const m = 2;
const feats = levelFeatures(m, 2);
const r = createRng(3);
const coef = () => Float64Array.from({ length: feats.size * m }, () => 0.3 * r.normal());
const level: GatedLevel = {
  kind: "gated",
  t: 0.5,
  centers: new Float64Array([-1.5, 0, 1.5, 0.3, 0, 2]),
  mass: new Float64Array([0.5, 0.3, 0.2]),
  degrees: new Int32Array([2, 2, 1]),
  coefficients: [coef(), coef(), coef().subarray(0, 3 * m)],
  lower: new Float64Array(6).fill(-6),
  upper: new Float64Array(6).fill(6),
};
const wide = new Float64Array(m).fill(-1e9);
const high = new Float64Array(m).fill(1e9);

function f(y: Float64Array, div?: Float64Array): Float64Array {
  const out = new Float64Array(y.length);
  predictGated(level, 1, feats, createWorkspace(feats).gated, y, y.length / m, out, wide, high, div);
  return out;
}

describe("soft-gated level", () => {
  test("the divergence is exact: central differences agree to 1e-6 at random points", () => {
    for (let i = 0; i < 50; i++) {
      const y = new Float64Array([2 * r.normal(), 2 * r.normal()]);
      const div = new Float64Array(1);
      f(y, div);
      let fd = 0;
      const h = 1e-5;
      for (let c = 0; c < m; c++) {
        const a = Float64Array.from(y);
        const b = Float64Array.from(y);
        a[c] = a[c]! + h;
        b[c] = b[c]! - h;
        fd += (f(a)[c]! - f(b)[c]!) / (2 * h);
      }
      expectClose(div[0]!, fd, { abs: 1e-6 * Math.max(1, Math.abs(fd)) });
    }
  });
  test("with zero corrections f̂ is the atoms' posterior mean Σ π_k c_k", () => {
    const zero: GatedLevel = { ...level, coefficients: level.coefficients.map((c) => new Float64Array(c.length)) };
    const y = new Float64Array([0.4, -0.7]);
    const out = new Float64Array(2);
    predictGated(zero, 1, feats, createWorkspace(feats).gated, y, 1, out, wide, high);
    const s2 = 1.5;
    const l = [0, 1, 2].map(
      (k) =>
        Math.log(level.mass[k]!) -
        ((0.4 - level.centers[2 * k]!) ** 2 + (-0.7 - level.centers[2 * k + 1]!) ** 2) / (2 * s2),
    );
    const z = l.reduce((a, v) => a + Math.exp(v), 0);
    for (let c = 0; c < 2; c++) {
      const want = [0, 1, 2].reduce((a, k) => a + (Math.exp(l[k]!) / z) * level.centers[2 * k + c]!, 0);
      expectClose(out[c]!, want, { abs: 5e-14 });
    }
  });
  test("correction weights switch off smoothly: w continuous, w′ continuous and equal to the difference quotient", () => {
    const cw = new Float64Array(2);
    const weight = (p: number) => {
      correctionWeight(p, cw);
      return { w: cw[0]!, dw: cw[1]! };
    };
    expect(weight(CORRECTION_OFF).w).toBe(0);
    expectClose(weight(CORRECTION_ON).w, CORRECTION_ON, { abs: 5e-16 });
    for (const p of [CORRECTION_OFF * 1.0001, 0.02, 0.03, CORRECTION_ON * 0.9999]) {
      const h = 1e-9;
      const fd = (weight(p + h).w - weight(p - h).w) / (2 * h);
      expectClose(weight(p).dw, fd, { abs: 5e-6 });
    }
    expect(weight(CORRECTION_OFF * 1.000001).dw).toBeLessThan(1e-3);
    expectClose(weight(CORRECTION_ON * 0.999999).dw, 1, { abs: 1e-3 });
  });
});
