/**
 * Test helpers shared by the mixdiff packages' tests (private, not published; tests import this source through
 * the `@mixdiff/source` condition): a tolerance check for numbers and arrays, and the statistical helpers the
 * seeded tests repeat (mean and standard error of a sample, the `|estimate − truth| ≤ k·SE` check). No dependency
 * on the other packages, so that @mixdiff/core's tests can use it too.
 */
import { expect } from "vitest";

/** Tolerances of {@link expectClose}: `|actual − expected| ≤ abs + rel·|expected|` (both default to 0). */
export interface CloseOptions {
  /** Absolute tolerance. */
  abs?: number;
  /** Relative tolerance (a multiple of `|expected|`). */
  rel?: number;
  /** What is compared, for the failure message. */
  what?: string;
}

type NumberArray = ArrayLike<number>;

function isArrayLike(v: unknown): v is NumberArray {
  return typeof v === "object" && v !== null && typeof (v as { length?: unknown }).length === "number";
}

/**
 * Asserts `|actual − expected| ≤ abs + rel·|expected|` for a number, or element-wise for arrays and typed arrays
 * (the lengths must match). The message names the first failing index and both values. With neither `abs` nor
 * `rel` the values must be equal. NaN never matches, except NaN against NaN.
 *
 * @example
 * ```ts
 * import { expectClose } from "@mixdiff/test-utils";
 * expectClose(Math.PI, 3.14159, { abs: 1e-5 });
 * expectClose(new Float64Array([1, 2]), [1, 2.000001], { rel: 1e-6, what: "means" });
 * ```
 */
export function expectClose(
  actual: number | NumberArray,
  expected: number | NumberArray,
  opts: CloseOptions = {},
): void {
  const abs = opts.abs ?? 0;
  const rel = opts.rel ?? 0;
  const what = opts.what ? `${opts.what}: ` : "";
  const tol = (e: number) => abs + rel * Math.abs(e);
  const ok = (a: number, e: number) => (Number.isNaN(a) && Number.isNaN(e)) || a === e || Math.abs(a - e) <= tol(e);
  if (typeof actual === "number" || typeof expected === "number") {
    if (typeof actual !== "number" || typeof expected !== "number") {
      expect.fail(`${what}expected ${typeof expected === "number" ? "a number" : "an array"}, got ${String(actual)}`);
      return;
    }
    if (!ok(actual, expected)) {
      expect.fail(
        `${what}expected ${actual} to be within ${tol(expected)} of ${expected} (difference ${Math.abs(actual - expected)})`,
      );
    }
    return;
  }
  if (!isArrayLike(actual) || !isArrayLike(expected)) {
    expect.fail(`${what}expected numbers or arrays`);
    return;
  }
  if (actual.length !== expected.length) {
    expect.fail(`${what}length ${actual.length}, expected ${expected.length}`);
    return;
  }
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!ok(a, e)) {
      expect.fail(`${what}at index ${i}: expected ${a} to be within ${tol(e)} of ${e} (difference ${Math.abs(a - e)})`);
      return;
    }
  }
}

/** Mean, standard deviation and standard error of the mean of a sample. */
export interface SampleSummary {
  mean: number;
  /** √(Σ(v − mean)²/(n − ddof)). */
  sd: number;
  /** sd/√n. */
  se: number;
  n: number;
}

/**
 * Mean, standard deviation and standard error of the mean of `values`. `ddof` is the variance's
 * delta degrees of freedom: 1 (default) for the unbiased sample variance, 0 for the plug-in `Σ(v − mean)²/n`.
 *
 * @example
 * ```ts
 * import { meanAndSe } from "@mixdiff/test-utils";
 * const { mean, se } = meanAndSe([1, 2, 3, 4]); // mean 2.5, se = sd/2 with sd = √(5/3)
 * ```
 */
export function meanAndSe(values: NumberArray, opts: { ddof?: number } = {}): SampleSummary {
  const n = values.length;
  const ddof = opts.ddof ?? 1;
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i]!;
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  const sd = Math.sqrt(ss / (n - ddof));
  return { mean, sd, se: sd / Math.sqrt(n), n };
}

/**
 * Asserts `|estimate − truth| ≤ k·se + slack` (k defaults to 4: a two-sided false-failure rate ≈ 6e-5 under a
 * normal approximation). The message names the estimate, the truth, the standard error and the z-score.
 *
 * @example
 * ```ts
 * import { expectWithinSe, meanAndSe } from "@mixdiff/test-utils";
 * const s = meanAndSe([0.1, -0.2, 0.05, 0.02]);
 * expectWithinSe(s.mean, 0, s.se, { what: "mean of the draws" });
 * ```
 */
export function expectWithinSe(
  estimate: number,
  truth: number,
  se: number,
  opts: { k?: number; slack?: number; what?: string } = {},
): void {
  const k = opts.k ?? 4;
  const slack = opts.slack ?? 0;
  const d = Math.abs(estimate - truth);
  if (!(d <= k * se + slack)) {
    expect.fail(
      `${opts.what ? `${opts.what}: ` : ""}estimate ${estimate} vs truth ${truth}: |difference| ${d} > ${k}·se + ${slack} (se ${se}, z = ${(d / se).toFixed(2)})`,
    );
  }
}
