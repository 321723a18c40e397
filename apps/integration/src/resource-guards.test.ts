// C3: parameter validation and resource guards. Oversized requests are refused with RESOURCE_LIMIT (the message
// gives the estimate and the limit) before allocating; bad parameter values give INVALID_OPTION naming the option,
// before any work. A V8 RangeError never escapes unwrapped.
import { createRng, type ErrorCode } from "@mixdiff/core";
import { sample } from "@mixdiff/diffusion";
import { createDistribution } from "@mixdiff/mixtures";
import { basisMemoryEstimate, createBasis, featureCount } from "@mixdiff/polyreg";
import { exactScoreModel, fitScore } from "@mixdiff/score";
import { describe, expect, it } from "vitest";
import { expectMixdiffError, twoAtomSpec } from "./helpers";

const spec = twoAtomSpec();
const dist = createDistribution(spec);
const exact = exactScoreModel(dist);
const x = dist.sample(200, createRng(1)).x;

// Values every integer count parameter must refuse: 0, negative, non-integer, NaN, ±Infinity, a string, > 2^53.
const badCounts: [string, unknown][] = [
  ["0", 0],
  ["-1", -1],
  ["2.5", 2.5],
  ["NaN", Number.NaN],
  ["Infinity", Infinity],
  ['"3"', "3"],
  ["2^53 + 2", 2 ** 53 + 2],
];

describe("huge degree / pieces: refused before allocating (C3)", () => {
  it("p = 1e6 is refused", () => {
    expectMixdiffError(() => createBasis({ dim: 2, degree: 1e6 }), "INVALID_OPTION", /degree/);
  });
  it("C(1010, 1000) does not fit in a double: the count is refused, not rounded", () => {
    expectMixdiffError(() => featureCount(1000, 10), "RESOURCE_LIMIT", /2\^53/);
    expectMixdiffError(() => featureCount(10, 1000), "RESOURCE_LIMIT");
  });
  it("d = 50 at degree 12 is refused with the estimate and the budget", () => {
    const e = expectMixdiffError(() => createBasis({ dim: 50, degree: 12 }), "RESOURCE_LIMIT", /bytes/, /budget/);
    expect(Number(e.details.estimate)).toBeGreaterThan(Number(e.details.budget));
  });
  it("a request just above the budget is refused; at the budget it is built", () => {
    const est = basisMemoryEstimate(6, 5);
    expectMixdiffError(() => createBasis({ dim: 6, degree: 5, memoryBudgetBytes: est - 1 }), "RESOURCE_LIMIT");
    expect(createBasis({ dim: 6, degree: 5, memoryBudgetBytes: est }).size).toBe(featureCount(6, 5));
  });
  it("fitScore in 50-D without projection at a high degree is refused typed (never a RangeError)", () => {
    const x50 = { data: new Float64Array(60 * 50).map((_, i) => Math.sin(i)), rows: 60, cols: 50 };
    let code: ErrorCode | "ok" = "ok";
    try {
      fitScore(x50, { rng: createRng(1), projection: "none", degree: 40, levels: 2 });
    } catch (e) {
      code = (e as { code?: ErrorCode }).code ?? (`untyped ${(e as Error).name}: ${(e as Error).message}` as never);
    }
    expect(code).toBe("RESOURCE_LIMIT");
  });
  it("sample(n) beyond one output array is refused with the estimate", () => {
    expectMixdiffError(() => sample(exact, { n: 2e9, rng: createRng(1), steps: 10 }), "RESOURCE_LIMIT", /GB/);
  });
});

describe("parameter validation before any work (C3)", () => {
  it.each(badCounts)("fitScore degree/levels/noiseDraws/k = %s → INVALID_OPTION naming the option", (_l, v) => {
    // degree 0 is valid (a constant posterior mean per cell).
    for (const name of ["degree", "levels", "noiseDraws", "k", "maxCenters"].filter(
      (o) => !(o === "degree" && v === 0),
    )) {
      const e = expectMixdiffError(() => fitScore(x, { rng: createRng(1), [name]: v }), "INVALID_OPTION");
      expect(e.message).toContain(name);
    }
  });
  it.each(badCounts)("sample n/steps/chunkSize = %s → INVALID_OPTION naming the option", (_l, v) => {
    // chunkSize > 2^53 is accepted and clamped to n (harmless: it allocates min(chunkSize, n) rows).
    for (const name of ["n", "steps", "chunkSize"].filter((o) => !(o === "chunkSize" && v === 2 ** 53 + 2))) {
      const opts = { n: 10, rng: createRng(1), steps: 10, [name]: v };
      // A count > 2^53 may equally be refused as a resource request (RESOURCE_LIMIT naming it).
      const codes = v === 2 ** 53 + 2 ? ["INVALID_OPTION", "RESOURCE_LIMIT"] : ["INVALID_OPTION"];
      let err: { code?: string; message?: string } | undefined;
      try {
        sample(exact, opts as never);
      } catch (e) {
        err = e as { code?: string; message?: string };
      }
      expect(codes).toContain(err?.code);
      expect(err?.message).toContain(name);
    }
  });
  it("unknown options and unknown samplers are refused", () => {
    expectMixdiffError(() => fitScore(x, { rng: createRng(1), degre: 3 } as never), "INVALID_OPTION", /degre/);
    expectMixdiffError(() => sample(exact, { n: 5, rng: createRng(1), sampler: "nope" as never }), "INVALID_OPTION");
  });
  it("conflicting options: tMin ≥ tMax is refused", () => {
    expectMixdiffError(() => fitScore(x, { rng: createRng(1), tMin: 5, tMax: 1 }), "INVALID_OPTION", /tMin/);
  });
  it("custom time grids must be strictly monotone (decreasing from T to t_min)", () => {
    for (const grid of [
      [10, 5, 5, 1],
      [1, 5, 10],
      [10, Number.NaN, 1],
      [10, -1],
    ]) {
      expectMixdiffError(
        () => sample(exact, { n: 5, rng: createRng(1), grid: Float64Array.from(grid) }),
        "INVALID_OPTION",
        /grid/,
      );
    }
  });
  it("fitScore with too few samples names the sample count", () => {
    expectMixdiffError(
      () => fitScore(x.data.length ? { ...x, rows: 1, data: x.data.subarray(0, 2) } : x, { rng: createRng(1) }),
      "INVALID_INPUT",
      /sample/,
    );
  });
});
