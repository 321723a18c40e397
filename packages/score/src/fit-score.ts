import { MixdiffError, type PointsLike, toPoints } from "@mixdiff/core";
import { atomCovariance } from "./base-variance.js";
import { clusterChunk, rotate } from "./cluster-chunks.js";
import type { GatedLevelReport } from "./fit-gated-level.js";
import { fitGatedLevel } from "./fit-gated-level.js";
import { type Steps, windowAt } from "./fit-tasks.js";
import { fitVoronoiLevel } from "./fit-voronoi-level.js";
import { fittedVariance } from "./fitted-variance.js";
import { klTerm, type LevelError, levelError, projectionVariance } from "./kl-term.js";
import type { FitDiagnostics, LearnedScoreModel, ModelState } from "./learned-score-model.js";
import { levelFeatures } from "./level-features.js";
import type { LevelState } from "./level-state.js";
import { principalSubspace } from "./principal-subspace.js";
import { dataBox, project } from "./project-data.js";
import type { RefitResult } from "./refit-levels.js";
import { checkFitOptions, type FitScoreOptions } from "./resolve-fit-options.js";
import { type FitPlan, resolveFitPlan } from "./resolve-plan.js";
import { refitProgress, runLocally } from "./run-steps.js";
import { converge, selectAtoms } from "./select-atoms.js";
import { splitData } from "./split-data.js";
import { updateWarmStarts, type WarmStarts } from "./update-warm-starts.js";
import { modelFromState } from "./write-score-model.js";

/** Largest |x| the learner accepts (as EM): beyond it squared distances and second moments overflow. */
const MAX_ABS_VALUE = 1e150;

/**
 * Learns the score of `P0 = Q0 * N(0, σ0² I)` from samples — the paper's Algorithm 1 with Algorithm 2 warm
 * starts. Each step is a function of its own file:
 *
 * 1. centre and project onto the estimated span of the means (`principalSubspace`; the complement gets the
 *    exact Gaussian score), resolve the preset's and the data's defaults (`resolveFitPlan`) and split the data
 *    (`splitData`);
 * 2. for each level of the grid, from T down: fit the level (`fitGatedLevel` — soft gates, implicit score
 *    matching, held-out choice of degree and ridge — or, preset `"paper"`, `fitVoronoiLevel` — hard cells,
 *    the denoising target, the ball constraint), then update the warm starts on a fresh chunk
 *    (`updateWarmStarts`, Algorithm 2) when σ² has halved (or, `adaptive`, when the cover splits);
 * 3. estimate every level's error and the Theorem 3.1 KL term (`kl-term.ts`).
 *
 * @param samples - `[N, n]` samples of P0 (N ≥ 50).
 * @throws MixdiffError `INVALID_OPTION`, `INVALID_INPUT`, `NON_FINITE_INPUT`, `INTERRUPTED`.
 * @example
 * ```ts
 * import { fitScore } from "@mixdiff/score";
 * import { createRng } from "@mixdiff/core";
 * const model = fitScore(samples, { rng: createRng(7) });
 * model.score(y, 0.5);              // [rows, n]
 * model.diagnostics.klTerm;         // Σ ln(σ²_k/σ²_{k+1})·ε_k², with klTermStandardError
 * ```
 */
export function fitScore(samples: PointsLike, options: FitScoreOptions): LearnedScoreModel {
  return runLocally(fitScoreSteps(samples, options), options?.signal, refitProgress(options?.onProgress));
}

/**
 * The steps of {@link fitScore}: the algorithm as a generator that yields its passes over the data as maps
 * (`fit-tasks.ts`) and receives their block results. `fitScore` runs them on this thread; `fitScoreParallel`
 * (`@mixdiff/score/node`) on worker threads; a distributed engine can run the blocks anywhere — the same bytes
 * every way, since results are merged in block order. Options are validated at the first `next()`. The refit's
 * levels are the blocks of one map, so their `onProgress` reports come from the runner as they finish
 * (`runLocally(steps, signal, refitProgress(onProgress))`); the descent's come from the generator.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { fitScoreSteps, runLocally } from "@mixdiff/score";
 * const model = runLocally(fitScoreSteps(samples, { rng: createRng(7) })); // = fitScore(samples, { rng })
 * ```
 */
export function* fitScoreSteps(samples: PointsLike, options: FitScoreOptions): Steps<LearnedScoreModel> {
  const t0 = Date.now();
  const x = toPoints(samples, { name: "samples" });
  const opts = checkFitOptions(options, x.cols);
  const { rows: N, cols: n } = x;
  if (N < 50) throw new MixdiffError("INVALID_INPUT", `fitScore: need at least 50 samples; got ${N}`);
  for (let i = 0; i < N; i++) {
    for (let c = 0; c < n; c++) {
      const v = x.data[i * n + c]!;
      if (!(Math.abs(v) <= MAX_ABS_VALUE)) {
        throw new MixdiffError(
          "INVALID_INPUT",
          `fitScore: samples row ${i}, column ${c} is ${v}; the learner needs |x| ≤ ${MAX_ABS_VALUE} (squared distances must stay finite)`,
          { row: i, column: c },
        );
      }
    }
  }
  const { rng, sigma0 } = opts;
  const s02 = sigma0 * sigma0;

  // 1. Centre and project; resolve the plan; split.
  const sub = principalSubspace(x, sigma0, opts.projection);
  const m = sub.dim;
  const z = project(x.data, N, n, sub.mean, sub.basis, m);
  const box = dataBox(z, N, m);
  let signalVariance = 0;
  let totalVariance = 0;
  sub.eigenvalues.forEach((l, k) => {
    totalVariance += l;
    if (k < m) signalVariance += Math.max(0, l - s02);
  });
  const plan = resolveFitPlan(opts, { n, N, m, signalVariance, totalVariance, radius: box.radius });
  const split = splitData(z, N, m, { ...plan, rng });
  yield { task: "init", data: { m, pools: { reg: split.reg, held: split.held, all: { x: z, rows: N } } } };
  const grid = plan.grid;
  const L = grid.length;
  const chunk = clusterChunk(plan, split.clus.rows, s02);
  // Reused chunks matter for the paper preset (its proof needs fresh ones); the practical one reuses by design.
  const warnings = [...plan.warnings, ...(plan.preset === "paper" ? chunk.warnings : [])];

  // 2. Algorithm 1 with Algorithm 2: levels from T down; after each, new warm starts from a fresh chunk
  //    denoised by the level just learned, when σ² has halved (or, adaptive, when the cover splits).
  const feats = levelFeatures(m, plan.degree);
  const heldPerLevel = Math.ceil((plan.rowsPerLevel * plan.heldFraction) / (1 - plan.heldFraction));
  function* fitLevel(l: number, warm: WarmStarts) {
    const t = grid[l]!;
    if (plan.gating === "soft") {
      const reg = windowAt(split.reg.rows, l, plan.rowsPerLevel);
      const held = windowAt(split.held.rows, l, heldPerLevel);
      yield { task: "window", reg, held } as const;
      return yield* fitGatedLevel({
        level: l,
        t,
        warm,
        regRows: reg.rows,
        heldRows: held.rows,
        settings: settingsOf(plan, m, sigma0, false),
        rng,
      });
    }
    return fitVoronoiLevel({
      level: l,
      t,
      centers: warm.centers,
      reg: split.reg,
      sigma0,
      m,
      degree: plan.degree,
      ball: plan.ball,
      rng,
    });
  }
  let warm: WarmStarts = { centers: new Float64Array(m), mass: Float64Array.of(1) };
  let lastUpdateT = grid[0]!;
  let update = 0;
  let levels: LevelState[] = [];
  let reports: LevelReport[] = [];
  for (let l = 0; l < L; l++) {
    if (opts.signal?.aborted) throw new MixdiffError("INTERRUPTED", "fitScore: aborted by the caller's signal");
    const t = grid[l]!;
    const fitted = yield* fitLevel(l, warm);
    levels.push(fitted.level);
    reports.push(reportOf(t, fitted.report));
    opts.onProgress?.({
      phase: "descent",
      level: l,
      levels: L,
      t,
      cells: fitted.report.cells,
      degree: fitted.report.degree,
      elapsedMs: Date.now() - t0,
    });
    if (l + 1 === L) break;
    const due =
      plan.cadence === "every-level" ||
      (plan.cadence === "sigma-halving" && s02 + t <= (s02 + lastUpdateT) / 2) ||
      (plan.cadence === "t-halving" && t <= lastUpdateT / 2);
    const kept = plan.gating === "soft" ? { centers: fitted.level.centers, mass: fitted.level.mass } : warm;
    warm = kept;
    if (!due && !plan.adaptive) continue;
    const next = updateWarmStarts({
      level: fitted.level,
      sigma0,
      feats,
      x: rotate(split.clus.x, split.clus.rows, m, (update * chunk.rows) % split.clus.rows, chunk.rows),
      rows: chunk.rows,
      draws: chunk.draws,
      rng: rng.stream("cluster", l),
      radius: plan.radiusConstant * (opts.r0 + Math.sqrt(s02 + t) * Math.sqrt(Math.log(1 / opts.alphaMin))),
      maxCenters: plan.maxCenters,
      stopFraction: opts.alphaMin / 2,
      lloydSteps: plan.lloydSteps,
      outLower: box.lower,
      outUpper: box.upper,
    });
    if (due || next.mass.length > fitted.level.centers.length / m) {
      warm = next;
      lastUpdateT = t;
      update++;
    }
  }
  // 2b. Practical preset: refit every level with the gates the descent ended with — the EM fit of the atoms
  //     at t = 0, pruned by held-out likelihood (`selectAtoms`), the best estimate of Q0 the data give — as the
  //     mixture base (a discrete Q0 has exactly this base at every t; the corrections fit what a continuous Q0 adds).
  let estimates: (GatedLevelReport | undefined)[] = [];
  let baseVariances = new Float64Array(L);
  if (plan.refit) {
    const last = levels[levels.length - 1]!;
    // The maps from here on (atom trials, the refit's levels) read the whole pools.
    yield { task: "window", reg: { start: 0, rows: split.reg.rows }, held: { start: 0, rows: split.held.rows } };
    const atoms: WarmStarts =
      last.t === 0
        ? yield* converge({
            ...(yield* selectAtoms({ centers: last.centers, mass: last.mass, m, sigma0, alphaMin: opts.alphaMin })),
            rows: N,
            m,
            sigma0,
          })
        : { centers: last.centers, mass: last.mass };
    // The delta-method error of the fitted atoms' base at each level (none without atoms at t = 0).
    const covariance = last.t === 0 ? atomCovariance({ ...atoms, data: split.reg, m, sigma0 }) : undefined;
    if (opts.signal?.aborted) throw new MixdiffError("INTERRUPTED", "fitScore: aborted by the caller's signal");
    // The levels share the atoms and nothing else: one map whose block l fits level l whole (`refit-levels.ts`),
    // on its windows of the whole pools.
    const fitted = (yield {
      task: "refit",
      input: {
        grid: Array.from(grid),
        centers: atoms.centers,
        mass: atoms.mass,
        ...(covariance && { covariance }),
        settings: settingsOf(plan, m, sigma0, true),
        regRows: plan.rowsPerLevel,
        heldRows: heldPerLevel,
        rngKey: rng.key,
      },
      blocks: L,
    }) as RefitResult[];
    levels = fitted.map((f) => f.level);
    reports = fitted.map((f) => reportOf(f.level.t, f.report));
    estimates = fitted.map((f) => f.report);
    baseVariances = Float64Array.from(fitted, (f) => f.baseVariance);
    // (The refit's progress comes from the runner as its blocks finish: `refitProgress` in run-steps.ts.)
  } else estimates = levels.map(() => undefined);

  // 3. Per-level errors and the KL term.
  const errors: ((LevelError & { scale: number }) | undefined)[] = estimates.map((r, l) => {
    if (!r) return undefined;
    const t = grid[l]!;
    const e = levelError({ ...r, baseVariance: baseVariances[l]! });
    const fv = fittedVariance(levels[l]!, sigma0, feats, split.held, box, rng.stream("var", l));
    const proj = projectionVariance({ eigenvalues: sub.eigenvalues, m, n, N, sigma0, coordinateVariance: fv.variance });
    // E|f̂ − y|² in n dims: the m kept coordinates plus (n − m)σ² from the Gaussian complement.
    return { mse: e.mse + proj, standardError: e.standardError, scale: fv.residual + (n - m) * (s02 + t) };
  });
  if (plan.gating === "hard") warnings.push("paper preset: the levels have no error estimate (klTerm sums none)");
  const kl = klTerm(grid, sigma0, errors);
  const diagnostics: FitDiagnostics = {
    klTerm: Math.max(0, kl.value),
    klTermStandardError: kl.standardError,
    levels: reports.map((r, l) => {
      const e = errors[l];
      if (!e) return r;
      return {
        ...r,
        heldOutRelError: Math.sqrt(Math.max(0, e.mse) / Math.max(e.scale, 1e-300)),
        heldOutMse: Math.max(0, e.mse),
        heldOutMseEstimate: e.mse,
        heldOutMseStandardError: e.standardError,
      };
    }),
    subspaceDim: m,
    eigenvalues: Array.from(sub.eigenvalues),
    warnings,
    options: resolvedOptions(opts, plan, split, chunk),
  };
  const state: ModelState = {
    dim: n,
    subspaceDim: m,
    sigma0,
    mean: sub.mean,
    basis: sub.basis,
    tMin: plan.tMin,
    degree: plan.degree,
    interpolation: plan.interpolation,
    gating: plan.gating,
    outLower: box.lower,
    outUpper: box.upper,
    levels,
  };
  return modelFromState(state, diagnostics);
}

type LevelReport = Omit<FitDiagnostics["levels"][number], "heldOutRelError" | "heldOutMse">;

function reportOf(
  t: number,
  r: { cells: number; degree: number; ridge: number; rows: number; conditionNumber: number; heldOutGain?: number },
): LevelReport {
  return {
    t,
    cells: r.cells,
    degree: r.degree,
    ridge: r.ridge,
    rows: r.rows,
    conditionNumber: r.conditionNumber,
    heldOutLoss: r.heldOutGain ?? 0,
  };
}

/** Settings of a soft-gated level: the descent (Algorithm 2's denoiser, one draw) or the refit. */
function settingsOf(plan: FitPlan, m: number, sigma0: number, refit: boolean) {
  return {
    sigma0,
    m,
    // The descent only denoises Algorithm 2's chunks: degree ≤ 1 spreads the points as well at a fraction of the cost.
    degree: refit || !plan.refit ? plan.degree : Math.min(1, plan.degree),
    ridges: plan.ridges,
    estimator: plan.estimator,
    emSteps: refit ? plan.refitEmSteps : plan.emSteps,
    maxParams: plan.maxParams,
    draws: refit || !plan.refit ? plan.noiseDraws : 1,
    // The descent's levels denoise Algorithm 2's chunks: a base alone would keep every point on its atoms and
    // never split; with a refit afterwards they never keep the base alone.
    rule: (refit || !plan.refit ? "one-se" : "correction") as "one-se" | "correction",
  };
}

function resolvedOptions(
  o: ReturnType<typeof checkFitOptions>,
  plan: FitPlan,
  split: ReturnType<typeof splitData>,
  chunk: ReturnType<typeof clusterChunk>,
): Record<string, unknown> {
  return {
    preset: plan.preset,
    gating: plan.gating,
    estimator: plan.estimator,
    sigma0: o.sigma0,
    k: o.k ?? null,
    alphaMin: o.alphaMin,
    r0: o.r0,
    degree: plan.degree,
    levels: plan.grid.length,
    tMax: plan.tMax,
    tMin: plan.tMin,
    tLowest: plan.grid[plan.grid.length - 1],
    noiseDraws: plan.noiseDraws,
    ridges: plan.ridges,
    emSteps: plan.emSteps,
    cadence: plan.cadence,
    adaptive: plan.adaptive,
    lloydSteps: plan.lloydSteps,
    radiusConstant: plan.radiusConstant,
    maxCenters: plan.maxCenters,
    ball: plan.ball,
    projection: o.projection,
    epsilon: o.epsilon,
    interpolation: plan.interpolation,
    split: { regression: split.reg.rows, clustering: split.clus.rows, heldOut: split.held.rows },
    clusterChunk: chunk.rows,
    clusterDraws: chunk.draws,
  };
}
