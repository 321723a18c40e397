import type { Rng } from "@mixdiff/core";
import { featureCount } from "@mixdiff/polyreg";
import { type CrossValidated, crossValidate, type LevelChoice } from "./choose-candidate.js";
import { enoughRows } from "./enough-rows.js";
import { BLOCK_SHARDS, FOLDS, SHARD_ROWS, type Steps } from "./fit-tasks.js";
import type { GatedLevel } from "./gated-level.js";
import { logOf } from "./gates.js";
import { solveCandidates } from "./level-candidates.js";
import { gatedLayout, type LevelFeatures, levelFeatures } from "./level-features.js";
import {
  createLevelStatistics,
  finishStatistics,
  type LevelSpec,
  type LevelStatistics,
  mergeLevelStatistics,
} from "./level-statistics.js";
import { refineGates } from "./refine-gates.js";

/** Gram-matrix multiply-adds per level above which the degree drops (many overlapping gates at large t). */
const GRAM_BUDGET = 4e7;

export type { Pool } from "./fit-tasks.js";

/** Settings of {@link fitGatedLevel} (resolved by `resolveFitPlan`). */
export interface GatedLevelSettings {
  readonly sigma0: number;
  readonly m: number;
  readonly degree: number;
  readonly ridges: readonly number[];
  readonly estimator: "stein" | "ism" | "dsm";
  readonly emSteps: number;
  /** Cap on parameters per output, K·p(d) (the degree drops until it fits). */
  readonly maxParams: number;
  /** Noise draws per point at VE time t > 0 (one at t = 0). */
  readonly draws: number;
  /** Model choice: the one-standard-error rule (may keep the base alone) or the best correction (the descent). */
  readonly rule: "one-se" | "correction";
}

/** What a fitted level reports (`FitDiagnostics.levels[i]` gets these). */
export interface GatedLevelReport {
  readonly cells: number;
  readonly degree: number;
  readonly ridge: number;
  readonly rows: number;
  readonly conditionNumber: number;
  /** Cross-validated loss of the chosen candidate relative to the base (`ΔL`, f² units; 0 for the base alone). */
  readonly heldOutGain: number;
  /** The chosen and the richest candidates' CV summaries (undefined: the zero correction / none solvable). */
  readonly chosen: CrossValidated | undefined;
  readonly richest: CrossValidated | undefined;
  /** Number of folds of the cross-validation. */
  readonly folds: number;
}

/**
 * One level of the default learner (Algorithm 1's inner step with soft gates):
 *
 * 1. refine the gates' centres and masses by EM at the known variance σ² ({@link refineGates});
 * 2. accumulate the sufficient statistics of the regression and held-out pools shard by shard (fresh noise
 *    per level and shard; `accumulateShard`), dealt round-robin to 5 folds;
 * 3. choose among the zero correction and degrees 0…d × ridges by 5-fold cross-validation of the loss relative
 *    to the base, with the one-standard-error rule (the simplest candidate within one SE of the best;
 *    `crossValidate`);
 * 4. refit the chosen candidate on all rows.
 */
export function* fitGatedLevel(o: {
  level: number;
  t: number;
  warm: { centers: Float64Array; mass: Float64Array };
  /** Points in the level's regression and held-out pools (the data of the maps). */
  regRows: number;
  heldRows: number;
  settings: GatedLevelSettings;
  rng: Rng;
  /** The base's delta-method error at this level (`baseVariance`), when known: rows are then also added until the level's error estimate is precise (`enoughRows`). */
  baseVariance?: number;
}): Steps<{ level: GatedLevel; report: GatedLevelReport }> {
  const { t, settings: S, rng } = o;
  const reg = { rows: o.regRows };
  const m = S.m;
  const gates = yield* refineGates({
    rows: reg.rows,
    m,
    t,
    sigma0: S.sigma0,
    centers: o.warm.centers,
    mass: o.warm.mass,
    steps: S.emSteps,
    rngKey: rng.stream("em", o.level).key,
  });
  const K = gates.mass.length;
  const draws = t > 0 ? S.draws : 1;
  let d = S.degree;
  const cost = (dd: number) => reg.rows * draws * 0.5 * (gates.activePerRow * featureCount(m, dd)) ** 2;
  while (
    d > 0 &&
    (K * featureCount(m, d) > S.maxParams || reg.rows * draws < 4 * K * featureCount(m, d) || cost(d) > GRAM_BUDGET)
  )
    d--;
  const feats = levelFeatures(m, d);
  const raised = levelFeatures(m, d + 1);
  const layout = gatedLayout(K, feats, raised);
  const P = layout.sizeByDegree[d]!;
  const spec: LevelSpec = {
    t,
    sigma0: S.sigma0,
    estimator: S.estimator,
    centers: gates.centers,
    logMass: logOf(gates.mass),
    lower: gates.lower,
    upper: gates.upper,
  };
  // Statistics per fold (shard s → fold s mod 5 over both pools), for cross-validation: block partial sums
  // merged in block order. The rows come in rounds (¼, ½, all of the blocks) until more cannot buy anything
  // (`enoughRows`); every round's decision is a function of the merged sums, so the bytes do not depend on
  // how the blocks were run.
  const shards = Math.ceil(o.regRows / SHARD_ROWS) + Math.ceil(o.heldRows / SHARD_ROWS);
  const blocks = Math.ceil(shards / BLOCK_SHARDS);
  const raw = Array.from({ length: FOLDS }, () => createLevelStatistics(P, m));
  let folds: LevelStatistics[] = [];
  let total = createLevelStatistics(P, m);
  let cv: LevelChoice = { chosen: undefined, richest: undefined, candidates: [] };
  let done = 0;
  // The descent's levels (rule "correction") only denoise Algorithm 2's chunks and take all their rows: on the
  // public cases even a less conservative form of the rule (variance projected as 1/rows) stopped 0–2 of 32 of
  // them early, so rounds would only add solves.
  for (const upTo of S.rule === "one-se" ? roundsOf(blocks) : [blocks]) {
    const parts = (yield {
      task: "accumulate",
      input: { spec, m, K, degree: d, draws, level: o.level, rngKey: rng.key, firstBlock: done },
      blocks: upTo - done,
    }) as (LevelStatistics | undefined)[][];
    for (const part of parts)
      part.forEach((p, f) => {
        if (p) mergeLevelStatistics(raw[f]!, p);
      });
    done = upTo;
    folds = raw.map((r) => {
      const f = createLevelStatistics(P, m);
      mergeLevelStatistics(f, r);
      finishStatistics(f, layout, feats.size);
      return f;
    });
    total = createLevelStatistics(P, m);
    for (const f of folds) mergeLevelStatistics(total, f);
    cv = crossValidate(total, folds, m, layout.sizeByDegree, d, S.ridges, S.rule);
    const used = folds.filter((f) => f.rows > 0).length;
    if (done < blocks && enoughRows(cv, used, o.baseVariance)) break;
  }
  const { chosen: choice, richest } = cv;
  let coef: Float64Array = new Float64Array(0);
  let condition = 1;
  const degree = choice ? choice.degree : -1;
  if (choice) {
    const fit = solveCandidates(total, m, layout.sizeByDegree, choice.degree, [choice.ridge]).find(
      (f) => f.degree === choice.degree,
    );
    if (fit) {
      coef = fit.coef;
      condition = fit.condition;
    }
  }
  const level = toGatedLevel(t, gates, layout.col, feats, degree, coef, m);
  return {
    level,
    report: {
      cells: K,
      degree: Math.max(0, degree),
      ridge: choice ? choice.ridge : 0,
      rows: total.rows,
      conditionNumber: condition,
      heldOutGain: choice ? choice.loss : 0,
      chosen: choice,
      richest,
      folds: folds.filter((f) => f.rows > 0).length,
    },
  };
}

/** Unpacks graded coefficients into per-gate `[p(d), m]` blocks (degree −1: the base alone, as degree 0 with 0). */
function toGatedLevel(
  t: number,
  gates: { centers: Float64Array; mass: Float64Array; lower: Float64Array; upper: Float64Array },
  col: Int32Array,
  feats: LevelFeatures,
  degree: number,
  coef: Float64Array,
  m: number,
): GatedLevel {
  const K = gates.mass.length;
  const d = Math.max(0, degree);
  const p = feats.sizeByDegree[d]!;
  const pFull = feats.size;
  const coefficients: Float64Array[] = [];
  for (let k = 0; k < K; k++) {
    const B = new Float64Array(p * m);
    if (degree >= 0) {
      for (let a = 0; a < p; a++) {
        const ci = col[k * pFull + a]!;
        for (let c = 0; c < m; c++) B[a * m + c] = coef[ci * m + c]!;
      }
    }
    coefficients.push(B);
  }
  return {
    kind: "gated",
    t,
    centers: gates.centers,
    mass: gates.mass,
    degrees: new Int32Array(K).fill(d),
    coefficients,
    lower: gates.lower,
    upper: gates.upper,
  };
}

/** Block counts after each round of a level's rows: ¼, ½ and all of `blocks` (distinct, increasing). */
export function roundsOf(blocks: number): number[] {
  const out: number[] = [];
  for (const share of [0.25, 0.5, 1]) {
    const b = Math.min(blocks, Math.max(1, Math.ceil(blocks * share)));
    if (out.length === 0 || b > out[out.length - 1]!) out.push(b);
  }
  return out;
}
