import { createRng } from "@mixdiff/core";
import { describe, expect, test } from "vitest";
import { expNonPositive } from "./exp-non-positive.js";

/** Inputs whose results differ from `Math.exp` (by `Object.is`: −0 and NaN count). */
function differing(xs: Iterable<number>): number[] {
  const out: number[] = [];
  for (const x of xs) if (!Object.is(expNonPositive(x), Math.exp(x))) out.push(x);
  return out;
}

/** The `w` doubles on either side of x (by bit pattern). */
function* around(x: number, w: number): Generator<number> {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  for (let d = -w; d <= w; d++) {
    view.setBigUint64(0, bits + BigInt(d));
    yield view.getFloat64(0);
  }
}

describe("expNonPositive (fdlibm's exp for x ≤ 0)", () => {
  // V8's Math.exp is fdlibm's __ieee754_exp; the port must give the same bits, or the gates' sums (and the
  // model files) would change.
  test("same bits as Math.exp on random arguments over the gates' range and beyond", () => {
    const rng = createRng("exp-non-positive");
    const xs: number[] = [];
    for (let i = 0; i < 200_000; i++) xs.push(-40 * rng.uniform());
    for (let i = 0; i < 50_000; i++) xs.push(-760 * rng.uniform());
    for (let i = 0; i < 50_000; i++) xs.push(-rng.uniform() * 2 ** (-60 * rng.uniform()));
    expect(differing(xs)).toEqual([]);
  });
  test("same bits next to every branch point: 2^-28, ln2/2, 1.5·ln2, (j + ½)·ln2 and j·ln2", () => {
    const xs: number[] = [];
    for (const b of [2 ** -28, 0.5 * Math.LN2, 1.5 * Math.LN2, 700]) xs.push(...around(-b, 3000));
    for (let j = 0; j < 1010; j++) {
      xs.push(...around(-(j + 0.5) * Math.LN2, 40));
      xs.push(...around(-j * Math.LN2, 40));
    }
    expect(differing(xs)).toEqual([]);
  });
  test("special values: 0, −0, −∞, NaN, and positive arguments (left to Math.exp)", () => {
    expect(expNonPositive(0)).toBe(1);
    expect(expNonPositive(-0)).toBe(1);
    expect(expNonPositive(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(expNonPositive(Number.NaN)).toBeNaN();
    expect(differing([1, -1, Number.MIN_VALUE, -Number.MIN_VALUE, -745.2, -1e300, 3, 710])).toEqual([]);
  });
});
