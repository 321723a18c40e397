import { createRng, isMixdiffError, type Points } from "@mixdiff/core";
import { gaussianMixture } from "@mixdiff/mixtures";
import { beforeAll, describe, expect, test } from "vitest";
import { fitScore } from "./fit-score.js";
import type { LearnedModelJSON, ModelState } from "./learned-score-model.js";
import type { LevelState } from "./level-state.js";
import { canonicalJson, fnv1a64, loadScoreModel, modelFromState } from "./load-score-model.js";

// A small 3-component mixture in 2-D (means span 2 dimensions, so the basis has 2 columns): the fit only
// provides a realistic, valid model file to corrupt.
const truth = gaussianMixture({
  means: [
    [-3, 0],
    [3, 1],
    [0, 4],
  ],
  weights: [0.4, 0.3, 0.3],
});
let json: LearnedModelJSON;
let y: Points;

beforeAll(() => {
  const x = truth.sample(1500, createRng(21)).x;
  json = JSON.parse(JSON.stringify(fitScore(x, { rng: createRng(22), levels: 5 }).toJSON()));
  y = truth.sample(20, createRng(23)).x;
  expect(json.model.subspaceDim).toBe(2);
}, 60_000);

type J = LearnedModelJSON;
/** Deep copy, edit, and re-sign (a valid checksum over corrupted content). */
function edited(edit: (j: J) => void): J {
  const j = JSON.parse(JSON.stringify(json)) as J;
  edit(j);
  j.checksum = fnv1a64(canonicalJson({ diagnostics: j.diagnostics, model: j.model }));
  return j;
}
function expectFormatError(j: unknown, path: string): void {
  let err: unknown;
  try {
    loadScoreModel(j);
  } catch (e) {
    err = e;
  }
  expect(isMixdiffError(err), String(err)).toBe(true);
  const e = err as { code: string; message: string; location: { path?: string } };
  expect(e.code).toBe("MODEL_FORMAT");
  expect(e.location.path).toBe(path);
  expect(e.message).toContain(path);
}
/** State built straight from the JSON, bypassing every check (to model an in-memory corruption). */
function stateOf(j: J): ModelState {
  const md = j.model;
  return {
    dim: md.dim,
    subspaceDim: md.subspaceDim,
    sigma0: md.sigma0,
    mean: Float64Array.from(md.mean),
    basis: Float64Array.from(md.basis),
    tMin: md.tMin,
    degree: md.degree,
    interpolation: md.interpolation,
    gating: md.gating === "soft" ? "soft" : "hard",
    outLower: Float64Array.from(md.outLower),
    outUpper: Float64Array.from(md.outUpper),
    levels: md.levels.map(
      (L): LevelState => ({
        kind: md.gating === "soft" ? "gated" : "voronoi",
        t: L.t,
        centers: Float64Array.from(L.centers),
        degrees: Int32Array.from(L.degrees),
        coefficients: L.coefficients.map((c) => Float64Array.from(c)),
        lower: Float64Array.from(L.lower),
        upper: Float64Array.from(L.upper),
        mass: Float64Array.from(L.mass),
        ...(md.base ? { base: true } : {}),
      }),
    ),
  };
}

describe("loadScoreModel semantic validation", () => {
  test("the unmodified, re-signed file loads and scores finitely", () => {
    const m = loadScoreModel(edited(() => {}));
    for (const v of m.score(y, 1).data) expect(Number.isFinite(v)).toBe(true);
  });

  // One row per rejected field: each edit keeps shapes and finiteness, so only the semantic check can catch it.
  const cases: [string, string, (j: J) => void][] = [
    ["reported bug: huge basis entry", "model.basis", (j) => void (j.model.basis[0] = 3.7775103029285385e307)],
    [
      "basis column not unit length",
      "model.basis",
      // column 0 scaled by 1.01: its squared norm becomes 1.0201
      (j) => {
        const m = j.model.subspaceDim;
        for (let r = 0; r < j.model.dim; r++) j.model.basis[r * m] = j.model.basis[r * m]! * 1.01;
      },
    ],
    ["basis columns not orthogonal", "model.basis", (j) => void j.model.basis.fill(Math.SQRT1_2)],
    ["σ0 = 0", "model.sigma0", (j) => void (j.model.sigma0 = 0)],
    ["σ0 < 0", "model.sigma0", (j) => void (j.model.sigma0 = -1)],
    // issue 18 item 9: loads, then the sampler's default end time 1e-3·σ0² underflows to 0 (an INVALID_OPTION about tMin)
    ["σ0 = 1e-300 (σ0² underflows)", "model.sigma0", (j) => void (j.model.sigma0 = 1e-300)],
    ["σ0 = 1e200 (σ0² overflows)", "model.sigma0", (j) => void (j.model.sigma0 = 1e200)],
    // issue 18: createBasis refused it with INVALID_OPTION (a usage error) instead of a file error
    ["degree above the largest polynomial degree", "model.degree", (j) => void (j.model.degree = 1e5)],
    ["outLower > outUpper", "model.outLower[0]", (j) => void (j.model.outLower[0] = j.model.outUpper[0]! + 1)],
    [
      "cell lower > upper",
      "model.levels[0].lower[0]",
      (j) => {
        const L = j.model.levels[0]!;
        L.lower[0] = L.upper[0]! + 1;
      },
    ],
    ["negative mass", "model.levels[0].mass[0]", (j) => void (j.model.levels[0]!.mass[0] = -0.5)],
    [
      "masses not summing to 1",
      "model.levels[1].mass",
      (j) => {
        const L = j.model.levels[1]!;
        L.mass = L.mass.map((w) => w * 1.1);
      },
    ],
    ["negative level time", "model.levels[4].t", (j) => void (j.model.levels[4]!.t = -1)],
    ["level time 0 before the last level", "model.levels[5].t", (j) => void (j.model.levels[4]!.t = 0)],
    ["level times not decreasing", "model.levels[2].t", (j) => void (j.model.levels[2]!.t = j.model.levels[1]!.t)],
    ["tMin above the lowest level", "model.tMin", (j) => void (j.model.tMin = j.model.levels[0]!.t)],
    [
      "coefficient beyond the bound",
      "model.levels[0].coefficients[0][0]",
      (j) => void j.model.levels[0]!.coefficients[0]!.splice(0, 1, 1e300),
    ],
    [
      "coefficient length inconsistent with the degree",
      "model.levels[0].coefficients[0]",
      (j) => void j.model.levels[0]!.coefficients[0]!.push(0),
    ],
    [
      "degree above the model degree",
      "model.levels[0].degrees[0]",
      (j) => void (j.model.levels[0]!.degrees[0] = j.model.degree + 1),
    ],
    [
      "non-finite centre (written as null)",
      "model.levels[0].centers[0]",
      (j) => {
        (j.model.levels[0] as { centers: (number | null)[] }).centers[0] = null;
      },
    ],
  ];
  test.each(cases)("rejects %s → MODEL_FORMAT at %s", (_name, path, edit) => {
    expectFormatError(edited(edit), path);
  });
});

describe("hostile structure (issue 18 item 5)", () => {
  test("20 000 nested objects inside diagnostics are MODEL_FORMAT naming the path, not a stack overflow", () => {
    const j = JSON.parse(JSON.stringify(json));
    // Built as text: JSON.stringify of such a document itself overflows the stack.
    const text = JSON.stringify(j).replace(
      '"diagnostics":{',
      `"diagnostics":{"deep":${'{"x":'.repeat(20_000)}{}${"}".repeat(20_000)},`,
    );
    for (const input of [text, JSON.parse(text)]) expectFormatError(input, "diagnostics.deep.x.x.x.x.x.x…");
  });
  test("a cyclic object is MODEL_FORMAT, not an infinite loop", () => {
    const j = JSON.parse(JSON.stringify(json));
    j.diagnostics.self = j.diagnostics;
    expectFormatError(j, "diagnostics.self.self.self.self.self.self.self…");
  });
  test("the depth limit leaves room: a valid file is 6 deep, the limit is 32", () => {
    const j = edited((x) => {
      let o: Record<string, unknown> = {};
      const root = o;
      for (let i = 0; i < 25; i++) o = (o.x = {}) as Record<string, unknown>;
      (x.diagnostics as unknown as Record<string, unknown>).nested = root;
    });
    expect(loadScoreModel(j).dim).toBe(2);
  });
});

describe("batches of any PointsLike (issue 18 item 11)", () => {
  test("learned: score and posteriorMean accept number[][] with the same result as Points", () => {
    const m = loadScoreModel(json);
    const rows = Array.from({ length: y.rows }, (_, i) => Array.from(y.data.subarray(2 * i, 2 * i + 2)));
    for (const t of [0, 0.5, 30]) {
      const ref = Array.from(m.score(y, t).data);
      expect(Array.from(m.score(rows, t).data)).toEqual(ref);
      expect(Array.from(m.posteriorMean(rows, t).data)).toEqual(Array.from(m.posteriorMean(y, t).data));
    }
    expect(() => m.score([[1, 2, 3]], 1)).toThrowError(
      expect.objectContaining({ code: "DIMENSION_MISMATCH", message: expect.stringMatching(/3 columns; expected 2/) }),
    );
    expect(() => m.score([[1, Number.NaN]], 1)).toThrowError(expect.objectContaining({ code: "NON_FINITE_INPUT" }));
  });
});

describe("non-finite values never leave the model silently", () => {
  test("toJSON refuses a non-finite centre (NUMERICAL_FAILURE naming the field)", () => {
    const s = stateOf(json);
    s.levels[0]!.centers[0] = Number.NaN;
    const m = modelFromState(s, json.diagnostics);
    expect(() => m.toJSON()).toThrowError(
      expect.objectContaining({
        code: "NUMERICAL_FAILURE",
        message: expect.stringContaining("model.levels[0].centers[0]"),
      }),
    );
  });
  test.each([
    ["score", 1],
    ["posteriorMean", 1],
    ["score", 1e6],
  ] as const)("%s at t = %d throws NUMERICAL_FAILURE naming the row", (fn, t) => {
    const s = stateOf(json);
    // Corrupt every level's coefficients so that whatever level is used produces NaN for every row.
    for (const L of s.levels) for (const c of L.coefficients) c.fill(Number.NaN);
    const m = modelFromState(s, json.diagnostics);
    expect(() => m[fn](y, t)).toThrowError(
      expect.objectContaining({ code: "NUMERICAL_FAILURE", message: expect.stringContaining("row 0") }),
    );
  });
});
