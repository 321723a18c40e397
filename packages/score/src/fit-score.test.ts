import { createPoints, createRng, isMixdiffError, type Points } from "@mixdiff/core";
import { gaussianMixture } from "@mixdiff/mixtures";
import { beforeAll, describe, expect, test } from "vitest";
import { exactScoreModel } from "./exact-score-model.js";
import { fitScore } from "./fit-score.js";
import type { LearnedScoreModel } from "./learned-score-model.js";
import { loadScoreModel } from "./load-score-model.js";
import { scoreError } from "./score-error.js";

// A well-separated 1-D-span mixture embedded in 2-D, small enough for a fast test fit.
const truth = gaussianMixture({
  means: [
    [-4, 0],
    [4, 0],
    [0, 5],
  ],
  weights: [0.4, 0.35, 0.25],
});
const oracle = exactScoreModel(truth);
let model: LearnedScoreModel;
const progress: number[] = [];

function noisy(n: number, t: number, seed: number): Points {
  const x = truth.sample(n, createRng(seed)).x;
  const r = createRng(seed + 1);
  for (let i = 0; i < x.data.length; i++) x.data[i] = (x.data[i] as number) + Math.sqrt(t) * r.normal();
  return x;
}

beforeAll(() => {
  const x = truth.sample(6000, createRng(11)).x;
  model = fitScore(x, { rng: createRng(12), levels: 14, onProgress: (p) => progress.push(p.level) });
}, 60_000);

describe("fitScore on a 3-component mixture (6 000 samples, 14 levels)", () => {
  test("relative score error against the exact score under p_t", () => {
    // With 20 000 samples and 30 levels the quality script measures ≤ 5.5% (t ≥ 5), ≤ 8% (1–5), ≤ 11% (0.1–1);
    // with 6 000 samples the estimation part grows by ≈ √(20/6) ≈ 1.8×. The bounds below leave a further
    // ≈ 1.7× margin; a broken learner (wrong target, wrong cells, wrong σ²) is off by ≥ 40%. Each error is
    // estimated on 2 000 fresh points of p_t (its sampling sd is < 10% of its value).
    const checks: [number, number][] = [
      [25, 0.12],
      [4, 0.2],
      [1, 0.25],
      [0.2, 0.35],
    ];
    for (const [t, bound] of checks) {
      const e = scoreError(model, oracle, t, noisy(2000, t, 100 + Math.round(100 * t)));
      expect(e.relative, `t = ${t}`).toBeLessThan(bound);
    }
  });
  test("cells split from the single warm start {0} into the three components", () => {
    expect(model.levels[0]?.cells).toBe(1);
    const last = model.levels[model.levels.length - 1];
    expect(last?.cells).toBeGreaterThanOrEqual(3);
  });
  test("diagnostics and progress are reported for every level", () => {
    const d = model.diagnostics;
    expect(d.levels.length).toBe(14);
    expect(progress).toEqual(Array.from({ length: 14 }, (_, i) => i));
    expect(Number.isFinite(d.klTerm)).toBe(true);
    expect(d.klTerm).toBeGreaterThanOrEqual(0);
    expect(d.subspaceDim).toBe(2);
    for (const L of d.levels) expect(L.conditionNumber).toBeGreaterThanOrEqual(1);
    expect(d).not.toHaveProperty("fitMs"); // no wall-clock time in the (checksummed) model file
  });
  test("format version: 2 with the mixture base, 1 without; the base flag is checked against the version", () => {
    const json = model.toJSON();
    expect(json.version).toBe(2);
    expect(json.model.base).toBe(true);
    const x = truth.sample(1500, createRng(33)).x;
    const plain = fitScore(x, { rng: createRng(34), levels: 5, mixtureBase: false }).toJSON();
    expect(plain.version).toBe(1);
    expect("base" in plain.model).toBe(false);
    // Same content, other version: the checksum does not cover the version, the base rule does.
    expect(() => loadScoreModel({ ...plain, version: 2 })).toThrowError(/model\.base/);
    expect(() => loadScoreModel({ ...json, version: 1 })).toThrowError(/model\.base/);
    // The base changes predictions: a v2 model read without its base would be wrong, hence the version.
    const y = noisy(50, 0.3, 7);
    const again = loadScoreModel(JSON.parse(JSON.stringify(json)));
    expect(Array.from(again.score(y, 0.3).data)).toEqual(Array.from(model.score(y, 0.3).data));
  });
  test("shrink: false never shrinks towards the previous level; a non-boolean is rejected", () => {
    const x = truth.sample(1500, createRng(31)).x;
    const m2 = fitScore(x, { rng: createRng(32), levels: 6, shrink: false });
    expect(m2.diagnostics.levels.every((L) => L.shrink === false)).toBe(true);
    expect(m2.diagnostics.options.shrink).toBe(false);
    expect(() => fitScore(x, { rng: createRng(32), shrink: "yes" as never })).toThrow(/shrink/);
  });
  test("the KL term is the weighted sum of the per-level estimates, with a standard error", () => {
    const d = model.diagnostics;
    const s02 = 1;
    let sum = 0;
    let v = 0;
    d.levels.forEach((L, i) => {
      expect(Number.isFinite(L.heldOutMseEstimate as number)).toBe(true);
      expect(L.heldOutMseStandardError as number).toBeGreaterThan(0);
      expect(L.heldOutMse).toBe(Math.max(0, L.heldOutMseEstimate as number));
      expect(typeof L.shrink).toBe("boolean");
      const next = d.levels[i + 1];
      if (!next) return;
      const w = Math.log((s02 + L.t) / (s02 + next.t)) / (s02 + L.t);
      sum += w * (L.heldOutMseEstimate as number);
      v += (w * (L.heldOutMseStandardError as number)) ** 2;
    });
    expect(d.klTerm).toBeCloseTo(Math.max(0, sum), 12);
    expect(d.klTermStandardError).toBeCloseTo(Math.sqrt(v), 12);
    // The first level has no previous level to shrink towards.
    expect(d.levels[0]?.shrink).toBe(false);
  });
  test("far-away points give finite, bounded posterior means (clipped polynomials)", () => {
    const y = createPoints(2, 2);
    y.data.set([300, -300, -1e4, 1e4]);
    const f = model.posteriorMean(y, 0.3);
    for (const v of f.data) {
      expect(Number.isFinite(v)).toBe(true);
      expect(Math.abs(v)).toBeLessThan(15);
    }
  });
  test("JSON round trip is bit-exact and the checksum guards the content", () => {
    const json = JSON.parse(JSON.stringify(model.toJSON()));
    const again = loadScoreModel(json);
    const y = noisy(50, 0.7, 5);
    for (const t of [0, 0.01, 0.7, 3.3, 50, 1e4])
      expect(Array.from(again.score(y, t).data)).toEqual(Array.from(model.score(y, t).data));
    const tampered = JSON.parse(JSON.stringify(json));
    tampered.model.levels[0].coefficients[0][0] += 1e-9;
    expect(() => loadScoreModel(tampered)).toThrowError(expect.objectContaining({ code: "MODEL_FORMAT" }));
    expect(() => loadScoreModel({ ...json, version: 3 })).toThrowError(
      expect.objectContaining({ code: "MODEL_VERSION" }),
    );
    expect(() => loadScoreModel({ ...json, format: "x" })).toThrowError(
      expect.objectContaining({ code: "MODEL_FORMAT" }),
    );
    expect(() => loadScoreModel("{")).toThrowError(expect.objectContaining({ code: "MODEL_FORMAT" }));
  });
  test("rejects wrong dimensions and non-finite input at evaluation", () => {
    expect(() => model.score(createPoints(1, 3), 1)).toThrowError(
      expect.objectContaining({ code: "DIMENSION_MISMATCH" }),
    );
    const bad = createPoints(1, 2);
    bad.data[1] = Number.NaN;
    expect(() => model.score(bad, 1)).toThrowError(expect.objectContaining({ code: "NON_FINITE_INPUT" }));
    expect(() => model.score(createPoints(1, 2), -1)).toThrowError(expect.objectContaining({ code: "INVALID_INPUT" }));
  });
});

describe("fitScore: determinism, projection, presets, validation", () => {
  test("same seed gives identical models", () => {
    const x = truth.sample(800, createRng(3)).x;
    const a = fitScore(x, { rng: createRng(4), levels: 4 });
    const b = fitScore(x, { rng: createRng(4), levels: 4 });
    expect(JSON.stringify(a.toJSON())).toBe(JSON.stringify(b.toJSON())); // the whole file, diagnostics and checksum included
  });
  test("interpolation: log-sigma blends the neighbouring levels' f linearly in ln σ²; nearest picks one", () => {
    const x = truth.sample(800, createRng(3)).x;
    const a = fitScore(x, { rng: createRng(4), levels: 4 });
    const b = fitScore(x, { rng: createRng(4), levels: 4, interpolation: "nearest" });
    const y = noisy(20, 1, 9);
    const [t0, t1] = [a.levels[2]?.t as number, a.levels[1]?.t as number];
    // at a learned level both give the same f
    expect(Array.from(a.posteriorMean(y, t0).data)).toEqual(Array.from(b.posteriorMean(y, t0).data));
    const tm = Math.sqrt((1 + t0) * (1 + t1)) - 1; // midpoint in ln σ² (σ0 = 1)
    const lo = b.posteriorMean(y, t0).data;
    const hi = b.posteriorMean(y, t1).data;
    const mid = a.posteriorMean(y, tm).data;
    for (let k = 0; k < mid.length; k++) {
      expect(Math.abs((mid[k] as number) - 0.5 * ((lo[k] as number) + (hi[k] as number)))).toBeLessThan(1e-9);
    }
    // nearest: just below the midpoint uses the lower level
    expect(Array.from(b.posteriorMean(y, tm * 0.999).data)).toEqual(Array.from(lo));
  });
  test("projection: 2 means in R^5 → m = 1 and the exact Gaussian score in the complement", () => {
    const d = gaussianMixture({
      means: [
        [3, 0, 0, 0, 0],
        [-3, 0, 0, 0, 0],
      ],
      weights: [0.5, 0.5],
    });
    const m = fitScore(d.sample(2000, createRng(8)).x, { rng: createRng(9), levels: 6 });
    expect(m.subspaceDim).toBe(1);
    const y = createPoints(1, 5);
    y.data.set([0.5, 1, -2, 3, 0.25]);
    const t = 0.9;
    const s = m.score(y, t).data;
    // complement (coordinates 1..4 up to the estimated basis): score ≈ −(y − mean)/σ²; the estimated
    // direction deviates from e1 by O(√(n/N)) ≈ 0.05, hence the tolerance.
    for (let j = 1; j < 5; j++)
      expect(Math.abs((s[j] as number) + ((y.data[j] as number) - (m.mean[j] as number)) / (1 + t))).toBeLessThan(0.2);
  });
  test("theory preset computes the paper's constants and warns", () => {
    const x = truth.sample(600, createRng(5)).x;
    const m = fitScore(x, { rng: createRng(6), preset: "theory", levels: 4, degree: 2 });
    expect(m.diagnostics.warnings.some((w) => w.startsWith("theory preset"))).toBe(true);
    // T = (M2 + n)/ε² with ε = 0.1: M2 ≈ 16.6 (total variance) → T ≈ 1860
    expect(m.tMax).toBeGreaterThan(1000);
  });
  test("abort signal interrupts", () => {
    const x = truth.sample(300, createRng(5)).x;
    expect(() => fitScore(x, { rng: createRng(1), signal: { aborted: true } })).toThrowError(
      expect.objectContaining({ code: "INTERRUPTED" }),
    );
  });
  const x = [
    [0, 0],
    [1, 1],
  ];
  const rng = createRng(1);
  test.each([
    [{ rng, sigma0: 0 }, "sigma0"],
    [{ rng, k: 1.5 }, "k"],
    [{ rng, alphaMin: 1 }, "alphaMin"],
    [{ rng, degree: -1 }, "degree"],
    [{ rng, levels: 1 }, "levels"],
    [{ rng, tMax: -1 }, "tMax"],
    [{ rng, tMin: 5, tMax: 1 }, "tMin"],
    [{ rng, noiseDraws: 0 }, "noiseDraws"],
    [{ rng, ridge: -1 }, "ridge"],
    [{ rng, cadence: "sometimes" }, "cadence"],
    [{ rng, radiusConstant: 0 }, "radiusConstant"],
    [{ rng, maxCenters: 0 }, "maxCenters"],
    [{ rng, refine: "kmeans" }, "refine"],
    [{ rng, projection: 3 }, "projection"],
    [{ rng, preset: "fast" }, "preset"],
    [{ rng, interpolation: "cubic" }, "interpolation"],
    [{ rng, adaptive: "yes" }, "adaptive"],
    [{ rng, bogus: 1 }, "bogus"],
    [{}, "rng"],
  ])("rejects %o with INVALID_OPTION naming %s", (o, path) => {
    try {
      fitScore(x, o as never);
      expect.unreachable();
    } catch (e) {
      expect(isMixdiffError(e, "INVALID_OPTION")).toBe(true);
      expect((e as { location: { path?: string } }).location.path).toBe(path);
    }
  });
  test("rejects too few or non-finite samples", () => {
    expect(() => fitScore(x, { rng })).toThrowError(expect.objectContaining({ code: "INVALID_INPUT" }));
    expect(() => fitScore([[0, Number.NaN]], { rng })).toThrowError(
      expect.objectContaining({ code: "NON_FINITE_INPUT" }),
    );
  });
});
