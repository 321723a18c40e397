/**
 * The live examples' computations (what the Web Worker runs), checked in Node on a small problem: shapes,
 * finiteness, and that the learned samples are closer to the truth than the sampler's starting noise.
 */
import { createRng, type Points } from "@mixdiff/core";
import { energyDistance } from "@mixdiff/metrics";
import { fitScoreInWorker, type MessageEndpoint, serveFitWorker } from "@mixdiff/score/worker";
import { describe, expect, test } from "vitest";
import gmm2d from "../../../test-fixtures/eval/cases/gmm2d.json";
import {
  distances,
  fitFraction,
  fitJobFraction,
  fitLabel,
  learnerOptions,
  runAnalyseRequest,
  runFit,
  runSweep,
  trainingData,
} from "../.vitepress/theme/lib/compute";
import { defaultEmComponents, PLAYGROUND_DEFAULTS, viewFor } from "../.vitepress/theme/lib/presets";
import type { Cloud, FitRequest, SpecJSON } from "../.vitepress/theme/lib/protocol";
import { describeWarning } from "../.vitepress/theme/lib/report";

const spec = gmm2d as SpecJSON;
const points = (c: Cloud): Points => ({ data: c.data, rows: c.rows, cols: 2 });

/** A small fit of gmm2d (1 500 training points, 8 levels, 40 sampler steps), with `over` changed. */
const smallFit = (over: Partial<FitRequest>): FitRequest => ({
  type: "fit",
  id: 1,
  spec,
  seed: 3,
  trainSize: 1500,
  sampleSize: 400,
  levels: 8,
  preset: "practical",
  steps: 40,
  sampler: "exponentialIntegrator",
  emComponents: defaultEmComponents(spec),
  view: viewFor(spec),
  ...over,
});

describe("playground computation", () => {
  const progress: number[] = [];
  const r = runFit(smallFit({ degree: 3 }), (f) => progress.push(f));

  test("returns every piece the page draws, all finite", () => {
    expect(r.train.rows).toBe(1500);
    for (const c of [r.truth, r.learned, r.em]) {
      expect(c.rows).toBe(400);
      expect(c.data.every(Number.isFinite)).toBe(true);
    }
    expect(r.trajectory.frames.length).toBeGreaterThan(2);
    expect(r.trajectory.times.length).toBe(r.trajectory.frames.length);
    expect(r.metrics.map((m) => m.name)).toHaveLength(3);
    for (const m of r.metrics) expect([m.diffusion, m.em, m.exact].every(Number.isFinite)).toBe(true);
    expect(r.metrics.map((m) => m.unbiased)).toEqual([true, true, false]);
    // the practical preset: 8 levels with t > 0, then one at t = 0, each with an error estimate
    expect(r.preset).toBe("practical");
    expect(r.levels.map((l) => l.t > 0)).toEqual([...Array(8).fill(true), false]);
    for (const l of r.levels) {
      expect(l.scale).toBeGreaterThan(0);
      expect(Number.isFinite(l.mseEstimate) && (l.mseSE ?? -1) >= 0).toBe(true);
      const rel = l.heldOutRelError ?? Number.NaN;
      expect(rel).toBeGreaterThanOrEqual(0);
      // the learner's relative error is √(max(0, estimate)/scale'); the page's scale is a fresh estimate of scale'
      if (rel > 0.02) expect(Math.sqrt(l.mseEstimate! / l.scale!) / rel).toBeCloseTo(1, 0);
    }
    expect(r.fields).toHaveLength(4);
    for (const f of r.fields) {
      expect(f.learned).toHaveLength(2 * f.nx * f.ny);
      expect(f.learned.every(Number.isFinite)).toBe(true);
      expect(f.density.every((v) => v >= 0 && Number.isFinite(v))).toBe(true);
    }
    expect(r.truthDensity.values.every((v) => v >= 0 && Number.isFinite(v))).toBe(true);
    // Progress is monotone through the descent and the refit, and ends at 1.
    expect(progress.every((v, i) => i === 0 || v >= progress[i - 1]!)).toBe(true);
    expect(progress[progress.length - 1]).toBe(1);
  });

  test("learned samples are far closer to the truth than the sampler's starting noise", () => {
    // Frame 0 is N(mean, (T + σ0²) I) with T large: its energy distance to the truth is O(√T), while a
    // working model's is O(1/√n) plus its bias. A factor 5 leaves a wide margin both ways.
    const rng = createRng(7);
    const start = energyDistance(points(r.trajectory.frames[0]!), points(r.truth), { rng: rng.stream(0) }).value;
    const learned = energyDistance(points(r.learned), points(r.truth), { rng: rng.stream(1) }).value;
    expect(learned * 5).toBeLessThan(start);
  });
});

test("the sample-size sweep returns one finite point per size", () => {
  const s = runSweep(
    { type: "sweep", id: 2, spec, seed: 1, sizes: [400, 800], sampleSize: 300, levels: 6, steps: 30, emComponents: 3 },
    () => {},
  );
  expect(s.points.map((p) => p.n)).toEqual([400, 800]);
  for (const p of s.points)
    for (const v of [p.diffusion, p.em, p.exact, p.diffusionSE, p.emSE, p.exactSE])
      expect(Number.isFinite(v)).toBe(true);
});

test("the sliced-Wasserstein row is SW_2, as its label says", () => {
  // In 1-D the sliced distance is the exact W_p (the only directions are ±1). x: half at 0, half at 1;
  // y: half at 0, half at 3. The sorted coupling moves half the mass by 2, so W_1 = 1 and W_2 = √(½·2²) = √2.
  const n = 100;
  const half = (a: number, b: number): Points => ({
    data: Float64Array.from({ length: n }, (_, i) => (i < n / 2 ? a : b)),
    rows: n,
    cols: 1,
  });
  const rows = distances(half(0, 1), half(0, 3), createRng(5));
  const sw = rows.find((r) => r.name.startsWith("sliced Wasserstein"));
  expect(sw?.name).toBe("sliced Wasserstein-2");
  expect(sw?.value).toBeCloseTo(Math.SQRT2, 12);
});

test("the paper preset: levels without an error estimate, and its notes explained, not warned", () => {
  const progress: number[] = [];
  const r = runFit(smallFit({ id: 4, sampleSize: 300, preset: "paper" }), (f) => progress.push(f));
  expect(r.preset).toBe("paper");
  expect(r.levels).toHaveLength(8);
  expect(r.levels[7]!.t).toBeGreaterThan(0); // the paper's t_1, no level at t = 0
  for (const l of r.levels) {
    expect(l.heldOutRelError).toBeUndefined();
    expect(l.mseEstimate).toBeUndefined();
    expect(l.degree).toBe(6); // the paper's formula capped to 28 features in 2-D
  }
  expect(r.klTerm).toBe(0);
  expect(r.learned.data.every(Number.isFinite)).toBe(true);
  const notes = r.warnings.map(describeWarning);
  expect(notes.length).toBeGreaterThanOrEqual(3);
  expect(notes.filter((w) => w.kind === "warning")).toEqual([]);
  expect(progress.every((v, i) => i === 0 || v >= progress[i - 1]!)).toBe(true);
});

test("fit progress: the practical preset's descent then refit, the paper preset's single pass", () => {
  const p = (phase: "descent" | "refit", level: number) => ({
    phase,
    level,
    levels: 4,
    t: 1,
    cells: 1,
    degree: 1,
    elapsedMs: 0,
  });
  const practical = [0, 1, 2, 3].flatMap((l) => [p("descent", l)]).concat([0, 1, 2, 3].map((l) => p("refit", l)));
  const f = practical.map((q) => fitFraction(q, "practical"));
  expect(f.every((v, i) => i === 0 || v > f[i - 1]!)).toBe(true);
  expect(f[f.length - 1]).toBe(1);
  expect(fitFraction(p("descent", 3), "paper")).toBe(1);
  expect(fitLabel(p("refit", 0))).toContain("refitting with the final atoms: level 1 of 4");
  expect(fitLabel({ ...p("refit", 3), t: 0 })).toContain("(t = 0, 1 cell)");
});

test("the playground's default fit raises no warning, only explained notes", () => {
  const r = runFit(
    {
      type: "fit",
      id: 3,
      spec,
      ...PLAYGROUND_DEFAULTS,
      sampleSize: 300, // the sample size does not change the fit, only the measuring
      emComponents: defaultEmComponents(spec),
      view: viewFor(spec),
    },
    () => {},
  );
  expect(r.warnings.map(describeWarning).filter((w) => w.kind === "warning")).toEqual([]);
});

test("the page's split — the learner through the package's fit worker, then the analysis job — gives runFit's result", async () => {
  // What the site does, over a MessageChannel instead of a Web Worker: serveFitWorker on one end (as fit-worker.ts),
  // fitScoreInWorker on the other (as use-compute-worker.ts), then the analysis request the page sends.
  const req = smallFit({ id: 5, sampleSize: 300 });
  const whole = runFit(req, () => {});
  const ch = new MessageChannel();
  const stop = serveFitWorker(ch.port2 as unknown as MessageEndpoint);
  try {
    const x = trainingData(req);
    const { options, rng } = learnerOptions(req);
    const fractions: number[] = [];
    const model = await fitScoreInWorker(ch.port1 as unknown as MessageEndpoint, x, {
      ...options,
      rng,
      onProgress: (p) => fractions.push(fitJobFraction(p, req.preset)),
    });
    expect(fractions.length).toBeGreaterThan(req.levels);
    expect(fractions.every((v, i) => i === 0 || v > fractions[i - 1]!)).toBe(true);
    const { type: _t, id: _i, ...request } = req;
    const split = runAnalyseRequest(
      { type: "analyse", id: 5, request, train: { data: x.data, rows: x.rows }, model: model.toJSON(), fitMs: 0 },
      () => {},
    );
    expect(split.learned.data).toEqual(whole.learned.data);
    expect(split.em.data).toEqual(whole.em.data);
    expect(split.metrics).toEqual(whole.metrics);
    expect(split.levels).toEqual(whole.levels);
  } finally {
    stop();
    ch.port1.close();
  }
});
