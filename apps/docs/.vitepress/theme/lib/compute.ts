/**
 * The computations behind the live examples, written against the public APIs of the packages only, so
 * the same code runs in the Web Worker (the site) and in a vitest test (Node). The playground's fit is split in
 * two: the learner runs in the worker through `fitScoreInWorker` of `@mixdiff/score/worker` (progress per level,
 * abort through an AbortSignal), then `runAnalysis` (sampling, EM, metrics) runs in the same worker.
 */
import { createPoints, createRng, type Points, type Rng } from "@mixdiff/core";
import { type SamplerName, sample, samplers } from "@mixdiff/diffusion";
import { emEstimator, type FittedEstimator } from "@mixdiff/estimators";
import { energyDistance, mmd2, slicedWasserstein } from "@mixdiff/metrics";
import { createDistribution, type Distribution } from "@mixdiff/mixtures";
import {
  exactScoreModel,
  type FitProgress,
  fitScore,
  type LearnedScoreModel,
  loadScoreModel,
  type ScoreModel,
} from "@mixdiff/score";
import type { WorkerFitOptions } from "@mixdiff/score/worker";
import type {
  AnalyseRequest,
  Cloud,
  Field,
  FitRequest,
  FitResult,
  Grid,
  MetricRow,
  SweepPoint,
  SweepRequest,
  SweepResult,
} from "./protocol";

type Progress = (fraction: number, label: string) => void;

function cloud(p: Points): Cloud {
  return { data: p.data, rows: p.rows };
}

function now(): number {
  return typeof performance !== "undefined" ? performance.now() : Date.now();
}

function gridPoints(nx: number, ny: number, x0: number, x1: number, y0: number, y1: number): Points {
  const g = createPoints(nx * ny, 2);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const r = j * nx + i;
      g.data[2 * r] = x0 + ((i + 0.5) / nx) * (x1 - x0);
      g.data[2 * r + 1] = y1 - ((j + 0.5) / ny) * (y1 - y0);
    }
  }
  return g;
}

function densityGrid(d: Distribution, view: FitRequest["view"], n: number): Grid {
  const [cx, cy] = view.center;
  const h = view.halfWidth;
  const x0 = cx - h;
  const x1 = cx + h;
  const y0 = cy - h;
  const y1 = cy + h;
  const logp = d.logDensity(gridPoints(n, n, x0, x1, y0, y1), 0);
  const values = new Float64Array(logp.length);
  for (let i = 0; i < logp.length; i++) values[i] = Math.exp(logp[i]!);
  return { nx: n, ny: n, x0, x1, y0, y1, values };
}

/** The three two-sample distances every example reports, each with its standard error. */
export function distances(x: Points, reference: Points, rng: Rng) {
  const m = mmd2(x, reference, { rng: rng.stream("mmd"), maxSamples: 2000 });
  const e = energyDistance(x, reference, { rng: rng.stream("energy"), maxSamples: 2000 });
  const s = slicedWasserstein(x, reference, { rng: rng.stream("sw"), projections: 64, p: 2 });
  return [
    { name: "MMD² (Gaussian kernel, unbiased)", value: m.value, se: m.standardError, unbiased: true },
    { name: "energy distance", value: e.value, se: e.standardError, unbiased: true },
    { name: "sliced Wasserstein-2", value: s.value, se: s.standardError, unbiased: false },
  ];
}

/**
 * Per level t, `E|f̂(y) − y|² = σ⁴·E|ŝ(y)|²` (σ² = σ0² + t) under p_t, on noised fresh exact points: the scale the
 * learner divides by in `heldOutRelError`, so a level whose error estimate is not resolved can still be shown as a
 * relative upper bound.
 */
function levelScales(model: ScoreModel, x: Points, times: readonly number[], sigma0: number, rng: Rng): number[] {
  const y = createPoints(x.rows, x.cols);
  return times.map((t, l) => {
    const r = rng.stream(l);
    for (let i = 0; i < x.data.length; i++) y.data[i] = x.data[i]! + Math.sqrt(t) * r.normal();
    const s = model.score(y, t).data;
    let sum = 0;
    for (const v of s) sum += v * v;
    return (sigma0 * sigma0 + t) ** 2 * (sum / x.rows);
  });
}

/** Share of the fit's time the practical preset's descent takes (its levels are degree ≤ 1 with one draw). */
const DESCENT_SHARE = 0.3;

/**
 * How far the fit is (0…1) after the level `p` reports. The practical preset runs the levels twice — the descent
 * (Algorithms 1 + 2 from T down, which finds the atoms) and the refit with the final atoms — the paper preset
 * once; the fraction never goes back when the refit starts.
 */
export function fitFraction(p: FitProgress, preset: "practical" | "paper"): number {
  const done = (p.level + 1) / Math.max(1, p.levels);
  if (preset === "paper") return done;
  return p.phase === "descent" ? DESCENT_SHARE * done : DESCENT_SHARE + (1 - DESCENT_SHARE) * done;
}

/** The progress label of a fitted level: the phase, the level, its time and cells. */
export function fitLabel(p: FitProgress): string {
  const what = p.phase === "refit" ? "refitting with the final atoms" : "fitting";
  return `${what}: level ${p.level + 1} of ${p.levels} (t = ${p.t === 0 ? "0" : p.t.toPrecision(3)}, ${p.cells} ${p.cells === 1 ? "cell" : "cells"})`;
}

/** The playground's training data: `trainSize` exact draws of the spec (stream "data" of the seed). */
export function trainingData(req: Pick<FitRequest, "spec" | "seed" | "trainSize">): Points {
  return createDistribution(req.spec).sample(req.trainSize, createRng(req.seed).stream("data")).x;
}

/** The learner's options of a playground request (what travels to the worker), and its generator. */
export function learnerOptions(req: FitRequest): { options: WorkerFitOptions; rng: Rng } {
  return {
    options: {
      sigma0: req.spec.noiseStd,
      preset: req.preset,
      levels: req.levels,
      ...(req.degree !== undefined && { degree: req.degree }),
    },
    rng: createRng(req.seed).stream("fit"),
  };
}

/** The overall fraction (0…1) of a playground job when the fit reports level `p` (the fit is 2 % … 62 %). */
export function fitJobFraction(p: FitProgress, preset: "practical" | "paper"): number {
  return 0.02 + 0.6 * fitFraction(p, preset);
}

/**
 * The playground's whole job on one thread (Node tests): the training data, the learner (`fitScore`, the bytes
 * `fitScoreInWorker` gives), then {@link runAnalysis}.
 */
export function runFit(req: FitRequest, progress: Progress): Omit<FitResult, "type" | "id"> {
  progress(0.01, "drawing training samples");
  const x = trainingData(req);
  const { options, rng } = learnerOptions(req);
  const t0 = now();
  const model = fitScore(x, {
    ...options,
    rng,
    onProgress: (p) => progress(fitJobFraction(p, req.preset), fitLabel(p)),
  });
  return runAnalysis(req, x, model, now() - t0, progress);
}

/** The worker's part of a playground job after the fit: the request as {@link AnalyseRequest} carries it. */
export function runAnalyseRequest(req: AnalyseRequest, progress: Progress): Omit<FitResult, "type" | "id"> {
  const x: Points = { data: req.train.data, rows: req.train.rows, cols: 2 };
  return runAnalysis({ ...req.request, type: "fit", id: req.id }, x, loadScoreModel(req.model), req.fitMs, progress);
}

/**
 * After the fit: sample the learned model, fit EM (both through the estimator interface of `@mixdiff/estimators`
 * where they are compared: EM's fit, samples and density), measure both against a fresh exact sample, and compute
 * the fields, densities and per-level scales the page draws.
 */
export function runAnalysis(
  req: FitRequest,
  x: Points,
  model: LearnedScoreModel,
  fitMs: number,
  progress: Progress,
): Omit<FitResult, "type" | "id"> {
  const truth = createDistribution(req.spec);
  const rng = createRng(req.seed);
  progress(0.64, "reverse diffusion");
  const t1 = now();
  const sampler = (req.sampler in samplers ? req.sampler : "exponentialIntegrator") as SamplerName;
  const frameEvery = Math.max(1, Math.floor(req.steps / 40));
  let sampled = 0;
  const result = sample(model, {
    n: req.sampleSize,
    rng: rng.stream("sample"),
    sampler,
    steps: req.steps,
    trajectoryEvery: frameEvery,
    // Progress is per chunk of samples: count finished samples plus the current chunk's share.
    onProgress: (p) => {
      const frac = Math.min(1, (p.done + (p.step / Math.max(1, p.steps)) * (p.n - p.done)) / p.n);
      sampled = Math.max(sampled, frac);
      progress(0.64 + 0.16 * sampled, `reverse diffusion: step ${p.step} of ${p.steps}`);
    },
  });
  const sampleMs = now() - t1;

  progress(0.8, "fitting EM");
  const t2 = now();
  const em: FittedEstimator = emEstimator({ k: req.emComponents, noiseStd: req.spec.noiseStd }).fit(x, {
    rng: rng.stream("em"),
  });
  const emDist = em.distribution as Distribution;
  const emSamples = em.sample(req.sampleSize, rng.stream("em-sample")).x;
  const emMs = now() - t2;

  progress(0.86, "measuring");
  const reference = truth.sample(req.sampleSize, rng.stream("reference")).x;
  const dDiff = distances(result.samples, reference, rng.stream("metrics-diffusion"));
  const dEm = distances(emSamples, reference, rng.stream("metrics-em"));
  // The noise floor: a second exact sample measured the same way is what a perfect sampler scores.
  const floor = truth.sample(req.sampleSize, rng.stream("floor")).x;
  const dFloor = distances(floor, reference, rng.stream("metrics-floor"));
  const metrics: MetricRow[] = dDiff.map((r, i) => ({
    name: r.name,
    unbiased: r.unbiased,
    diffusion: r.value,
    diffusionSE: r.se,
    em: dEm[i]!.value,
    emSE: dEm[i]!.se,
    exact: dFloor[i]!.value,
    exactSE: dFloor[i]!.se,
  }));

  progress(0.92, "score fields and densities");
  const exact = exactScoreModel(truth);
  const [cx, cy] = req.view.center;
  const h = req.view.halfWidth;
  const nf = 17;
  const nodes = gridPoints(nf, nf, cx - h, cx + h, cy - h, cy + h);
  const fields: Field[] = [0.1, 1, 5, 25].map((t) => ({
    t,
    nx: nf,
    ny: nf,
    x0: cx - h,
    x1: cx + h,
    y0: cy - h,
    y1: cy + h,
    learned: model.score(nodes, t).data.slice(),
    exact: exact.score(nodes, t).data.slice(),
    density: truth.logDensity(nodes, t).map(Math.exp),
  }));
  const truthDensity = densityGrid(truth, req.view, 64);
  const emDensity = densityGrid(emDist, req.view, 64);

  const traj = result.trajectory;
  const trajectory = traj
    ? { times: [...traj.times], frames: traj.points.map(cloud) }
    : { times: [], frames: [] as Cloud[] };

  const diag = model.diagnostics;
  const scales = levelScales(
    model,
    reference,
    diag.levels.map((l) => l.t),
    req.spec.noiseStd,
    rng.stream("level-scale"),
  );
  progress(1, "done");
  return {
    train: cloud(x),
    truth: cloud(reference),
    learned: cloud(result.samples),
    em: cloud(emSamples),
    trajectory,
    truthDensity,
    emDensity,
    fields,
    metrics,
    preset: req.preset,
    levels: diag.levels.map((l, i) => ({
      t: l.t,
      cells: l.cells,
      degree: l.degree,
      ridge: l.ridge,
      // absent where the level has no error estimate (the paper preset)
      ...(l.heldOutRelError !== undefined && { heldOutRelError: l.heldOutRelError }),
      ...(l.heldOutMseEstimate !== undefined && { mseEstimate: l.heldOutMseEstimate }),
      ...(l.heldOutMseStandardError !== undefined && { mseSE: l.heldOutMseStandardError }),
      scale: scales[i],
    })),
    klTerm: diag.klTerm,
    klTermSE: diag.klTermStandardError,
    subspaceDim: diag.subspaceDim,
    fitMs,
    sampleMs,
    emMs,
    warnings: [...diag.warnings],
  };
}

/** Quality against the number of training samples: energy distance to a fresh exact sample. */
export function runSweep(req: SweepRequest, progress: Progress): Omit<SweepResult, "type" | "id"> {
  const truth = createDistribution(req.spec);
  const rng = createRng(req.seed);
  const reference = truth.sample(req.sampleSize, rng.stream("reference")).x;
  const floorSample = truth.sample(req.sampleSize, rng.stream("floor")).x;
  const points: SweepPoint[] = [];
  const total = req.sizes.reduce((a, b) => a + b, 0);
  let done = 0;
  for (const n of req.sizes) {
    progress(done / total, `N = ${n}: fitting the diffusion model`);
    const { x } = truth.sample(n, rng.stream("data", n));
    const t0 = now();
    const model = fitScore(x, { rng: rng.stream("fit", n), sigma0: req.spec.noiseStd, levels: req.levels });
    const fitMs = now() - t0;
    const s = sample(model, { n: req.sampleSize, rng: rng.stream("sample", n), steps: req.steps }).samples;
    progress((done + 0.7 * n) / total, `N = ${n}: fitting EM`);
    const em = emEstimator({ k: req.emComponents, noiseStd: req.spec.noiseStd }).fit(x, { rng: rng.stream("em", n) });
    const e = em.sample(req.sampleSize, rng.stream("em-sample", n)).x;
    const m = rng.stream("metric", n);
    const dd = energyDistance(s, reference, { rng: m.stream(0), maxSamples: 2000 });
    const de = energyDistance(e, reference, { rng: m.stream(1), maxSamples: 2000 });
    const df = energyDistance(floorSample, reference, { rng: m.stream(2), maxSamples: 2000 });
    points.push({
      n,
      diffusion: dd.value,
      diffusionSE: dd.standardError ?? 0,
      em: de.value,
      emSE: de.standardError ?? 0,
      exact: df.value,
      exactSE: df.standardError ?? 0,
      fitMs,
    });
    done += n;
  }
  progress(1, "done");
  return { metric: "energy distance to a fresh exact sample", points };
}
