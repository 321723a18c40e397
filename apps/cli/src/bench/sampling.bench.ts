import { cpus, loadavg } from "node:os";
import { createPoints, createRng, type Points } from "@mixdiff/core";
import { sample } from "@mixdiff/diffusion";
import { sampleParallel } from "@mixdiff/diffusion/node";
import { createDistribution } from "@mixdiff/mixtures";
import { fitScore, type LearnedScoreModel, type ScoreModel } from "@mixdiff/score";
import gmm2d from "../../../../test-fixtures/eval/cases/gmm2d.json";
import { formatCsv } from "../csv.js";
import { SAMPLE_CHUNK } from "../tasks.js";
import { directionsSpec } from "./specs.js";

/**
 * One measured sampling configuration (issue 17). Times are medians over interleaved rounds; `ratio` is the
 * median over rounds of this row's time per sample divided by its reference row's, both measured in the same
 * round (so machine load cancels).
 */
export interface SamplingBenchRow {
  package: "@mixdiff/cli";
  name: string;
  /** "learned R^40 (m = 3)", "learned 2-D (gmm2d)" or a synthetic model. */
  model: string;
  dim: number;
  /** Coordinates the sampler simulated. */
  simulated: number;
  n: number;
  steps: number;
  /** 0 = main thread; k = `sampleParallel` with k workers (pool start-up included). */
  workers: number;
  /** "sampler" (`sample()` only) or "cli" (`mixdiff sample`'s path: chunks of 2048 + CSV formatting). */
  path: "sampler" | "cli";
  msPerRun: number;
  samplesPerSecond: number;
  /** The row `ratio` compares against ("" for none). */
  reference: string;
  /** Median over rounds of (ms per sample of this row) / (ms per sample of `reference`); NaN without one. */
  ratio: number;
  rounds: number;
  /** Load average (1 min) and cores when the suite started and ended: how shared the machine was. */
  load: string;
}

/**
 * `N(0, diag(4 on the first m axes, 1 elsewhere))` in R^n with σ0 = 1 (exact score, O(n) per point), declaring
 * its first m axes as subspace; with `own`, the subspace also evaluates h_t in its m coordinates
 * (`SubspaceEvaluator`). Isolates the sampler's own cost from a learned model's evaluation.
 */
function syntheticModel(n: number, m: number, own: boolean): ScoreModel {
  const v = (j: number) => (j < m ? 4 : 1);
  const posteriorMean = (y: Points, t: number, out: Points = createPoints(y.rows, n)): Points => {
    for (let r = 0; r < y.rows; r++) {
      for (let j = 0; j < n; j++) out.data[r * n + j] = y.data[r * n + j]! * (1 - (1 + t) / (v(j) + t));
    }
    return out;
  };
  const basis = new Float64Array(n * m);
  for (let k = 0; k < m; k++) basis[k * m + k] = 1;
  const subspace = {
    dim: m,
    basis,
    ...(own && {
      posteriorMean(w: Points, t: number, out: Points = createPoints(w.rows, m)): Points {
        const c = 1 - (1 + t) / (4 + t);
        for (let i = 0; i < w.rows * m; i++) out.data[i] = w.data[i]! * c;
        return out;
      },
    }),
  };
  return {
    dim: n,
    sigma0: 1,
    mean: new Float64Array(n),
    tMax: 400,
    posteriorMean,
    score(y, t, out = createPoints(y.rows, n)) {
      posteriorMean(y, t, out);
      for (let i = 0; i < y.rows * n; i++) out.data[i] = (out.data[i]! - y.data[i]!) / (1 + t);
      return out;
    },
    ...(m < n && { subspace }),
  };
}

const median = (a: readonly number[]) => {
  const s = [...a].sort((x, y) => x - y);
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
};

/**
 * The sampling benchmarks of issue 17: learned models fitted here (R^40 with m = 3 kept coordinates, and the
 * 2-D gmm2d case, 20 000 points each), sampled at their default step counts on the main thread, through the
 * CLI's path (chunks + CSV) and on two workers; the pre-issue behaviour (all 40 coordinates simulated, steps
 * of n) and synthetic models for the sampler's own cost. Rounds interleave every configuration.
 *
 * @param o - `quick` (small fits and runs, one round); `workerFile` (the diffusion worker beside the bundle).
 * @returns one row per configuration.
 *
 * @example
 * ```ts
 * const rows = await runSamplingBench({ quick: true, workerFile: new URL("./diffusion-worker.js", import.meta.url) });
 * rows.find((r) => r.name.startsWith("R^40"))?.ratio; // time per sample relative to the 2-D model
 * ```
 */
export async function runSamplingBench({
  quick = false,
  workerFile,
}: {
  quick?: boolean;
  workerFile?: string | URL;
}): Promise<SamplingBenchRow[]> {
  const load0 = loadavg()[0]!;
  const fitN = quick ? 2000 : 20_000;
  const fit = (spec: object, key: string): LearnedScoreModel => {
    const x = createDistribution(spec).sample(fitN, createRng(`sampling-bench-${key}`)).x;
    return fitScore(x, { rng: createRng(`sampling-bench-fit-${key}`), ...(quick && { levels: 8 }) });
  };
  const d40 = fit(directionsSpec(40, 4), "d40");
  const g2 = fit(gmm2d, "gmm2d");
  const n20 = quick ? 1000 : 20_000;
  const n100 = quick ? 2000 : 100_000;
  const nFull = quick ? 200 : 2000;
  const rounds = quick ? 1 : 3;

  interface Config {
    name: string;
    model: string;
    dim: number;
    n: number;
    workers: number;
    path: "sampler" | "cli";
    reference?: string;
    run(seed: number): Promise<{ steps: number; simulated: number }>;
  }
  const onThread =
    (m: ScoreModel, n: number, extra: { simulateSubspace?: boolean } = {}) =>
    async (seed: number) => {
      const r = sample(m, { n, rng: createRng(seed), ...extra });
      return { steps: r.grid.length - 1, simulated: r.simulatedDim ?? m.dim };
    };
  // The CLI's path (its compute worker's `draw` task): chunks of SAMPLE_CHUNK rows at increasing offsets, each
  // formatted as CSV.
  const viaCli = (m: ScoreModel, n: number) => async (seed: number) => {
    let bytes = 0;
    const rng = createRng(seed);
    for (let off = 0; off < n; off += SAMPLE_CHUNK) {
      const r = sample(m, { n: Math.min(SAMPLE_CHUNK, n - off), rng, offset: off, sampler: "exponentialIntegrator" });
      bytes += formatCsv(r.samples).length;
    }
    if (bytes === 0) throw new Error("no CSV written");
    const r = sample(m, { n: 1, rng: createRng(seed) });
    return { steps: r.grid.length - 1, simulated: r.simulatedDim ?? m.dim };
  };
  const g2json = g2.toJSON();
  const R40 = "R^40 (m = 3) learned";
  const G2 = "2-D learned (gmm2d)";
  const configs: Config[] = [
    { name: `${G2}, ${n20}`, model: G2, dim: 2, n: n20, workers: 0, path: "sampler", run: onThread(g2, n20) },
    {
      name: `${R40}, ${n20}`,
      model: R40,
      dim: 40,
      n: n20,
      workers: 0,
      path: "sampler",
      reference: `${G2}, ${n20}`,
      run: onThread(d40, n20),
    },
    {
      name: `${R40}, ${n20}, CLI path`,
      model: R40,
      dim: 40,
      n: n20,
      workers: 0,
      path: "cli",
      reference: `${R40}, ${n20}`,
      run: viaCli(d40, n20),
    },
    {
      name: `${R40}, ${nFull}, all 40 coordinates simulated (before issue 17)`,
      model: R40,
      dim: 40,
      n: nFull,
      workers: 0,
      path: "sampler",
      reference: `${R40}, ${n20}`,
      run: onThread(d40, nFull, { simulateSubspace: false }),
    },
    { name: `${G2}, ${n100}`, model: G2, dim: 2, n: n100, workers: 0, path: "sampler", run: onThread(g2, n100) },
    {
      name: `${G2}, ${n100}, CLI path`,
      model: G2,
      dim: 2,
      n: n100,
      workers: 0,
      path: "cli",
      reference: `${G2}, ${n100}`,
      run: viaCli(g2, n100),
    },
    {
      name: `${G2}, ${n100}, 2 workers`,
      model: G2,
      dim: 2,
      n: n100,
      workers: 2,
      path: "sampler",
      reference: `${G2}, ${n100}`,
      run: async (seed) => {
        const r = await sampleParallel({ kind: "learned", json: g2json }, { n: n100, seed, workers: 2, workerFile });
        return { steps: r.grid.length - 1, simulated: r.simulatedDim ?? 2 };
      },
    },
  ];
  const synth = (label: string, n: number, m: number, own: boolean, reference?: string): Config => ({
    name: `synthetic ${label}, ${n20}`,
    model: `synthetic ${label}`,
    dim: n,
    n: n20,
    workers: 0,
    path: "sampler",
    ...(reference && { reference: `synthetic ${reference}, ${n20}` }),
    run: onThread(syntheticModel(n, m, own), n20),
  });
  configs.push(
    synth("2-D", 2, 2, false),
    synth("R^40 (m = 3), lift and project", 40, 3, false, "2-D"),
    synth("R^40 (m = 3), SubspaceEvaluator", 40, 3, true, "2-D"),
  );

  // Warm-up (JIT) on small runs, not timed.
  for (const m of [d40, g2]) sample(m, { n: 64, rng: createRng(0), steps: 20 });
  const times = new Map<string, number[]>();
  const info = new Map<string, { steps: number; simulated: number }>();
  for (let round = 0; round < rounds; round++) {
    for (const c of configs) {
      const t0 = performance.now();
      info.set(c.name, await c.run(round + 1));
      const ms = performance.now() - t0;
      (times.get(c.name) ?? times.set(c.name, []).get(c.name)!).push(ms);
      await new Promise((r) => setImmediate(r));
    }
  }
  const load = `${load0.toFixed(1)} → ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`;
  return configs.map((c) => {
    const ms = median(times.get(c.name)!);
    const ref = c.reference === undefined ? undefined : configs.find((r) => r.name === c.reference);
    const ratio = ref
      ? median(times.get(c.name)!.map((t, k) => t / c.n / (times.get(ref.name)![k]! / ref.n)))
      : undefined;
    const { steps, simulated } = info.get(c.name)!;
    return {
      package: "@mixdiff/cli",
      name: c.name,
      model: c.model,
      dim: c.dim,
      simulated,
      n: c.n,
      steps,
      workers: c.workers,
      path: c.path,
      msPerRun: ms,
      samplesPerSecond: (c.n * 1000) / ms,
      reference: ref?.name ?? "",
      ratio: ratio ?? Number.NaN,
      rounds,
      load,
    };
  });
}
