import { createRng, type PointsLike } from "@mixdiff/core";
import { createDistribution } from "@mixdiff/mixtures";
import { fitScore } from "@mixdiff/score";
import { createFitPool, type FitPool, fitScoreParallel } from "@mixdiff/score/node";
import { EXAMPLES } from "../examples.js";
import { directionsSpec } from "./specs.js";

/** One fit measurement. */
export interface FitBenchRow {
  package: "@mixdiff/cli";
  name: string;
  dim: number;
  n: number;
  levels: number;
  msPerFit: number;
  pointsPerSecond: number;
  klTerm: number;
  /** Worker threads (`fitScoreParallel`, or a `createFitPool` pool); 0 = `fitScore` on the main thread. */
  workers: number;
  /** On a pool kept warm (`createFitPool`): its first fit, which compiles the fit's code on its threads, untimed. */
  pool?: boolean;
  /** The row this one is compared with, and this row's time over it. */
  reference: string;
  ratio: number;
  /** With workers: whether the model's JSON equals the reference's, byte for byte (in every round). */
  identical?: boolean;
  /** With workers: rounds run (1 and 2 workers alternating), each round's time, and the median round's CPU time. */
  rounds?: number;
  msRounds?: number[];
  cpuMs?: number;
}

/** The public cases (test-fixtures/eval/cases), as shipped with the CLI (`mixdiff examples`). */
export const PUBLIC_CASES = Object.fromEntries(Object.entries(EXAMPLES).map(([name, e]) => [name, e.spec]));

/**
 * Times `fitScore` once per public case on n exact samples (20 000; quick: 2 000 with 8 levels), on an 8-D
 * target (four mean directions), then the same fit on worker threads: `fitScoreParallel` with 1 and 2 workers on
 * a 2-D case (200 000 points; quick: 20 000), alternating for three rounds (median kept, CPU time recorded), each
 * compared with the main-thread fit in the same run, bytes included; then the same on pools of 1 and 2 workers kept
 * warm (`createFitPool`, each pool's first fit untimed), and the slowest 2-D public case (circle2d) on the warm pool
 * of 2. One fit per row: fits take seconds, so run-to-run noise is small next to the differences measured.
 */
export async function runFitBench({
  quick = false,
  workerFile,
}: {
  quick?: boolean;
  /** The fit worker script (`score-fit-worker.js` beside cli.js); without it the worker rows are skipped. */
  workerFile?: URL;
} = {}): Promise<FitBenchRow[]> {
  const n = quick ? 2000 : 20_000;
  const rows: FitBenchRow[] = [];
  const push = (
    name: string,
    dim: number,
    rowsN: number,
    model: ReturnType<typeof fitScore>,
    ms: number,
    workers: number,
    ref?: FitBenchRow,
    identical?: boolean,
  ) => {
    const row: FitBenchRow = {
      package: "@mixdiff/cli",
      name,
      dim,
      n: rowsN,
      levels: model.levels.length,
      msPerFit: ms,
      pointsPerSecond: (rowsN * model.levels.length) / (ms / 1000),
      klTerm: model.diagnostics.klTerm,
      workers,
      reference: ref?.name ?? "",
      ratio: ref ? ms / ref.msPerFit : Number.NaN,
      ...(identical !== undefined && { identical }),
    };
    rows.push(row);
    return row;
  };
  const cases: [string, object][] = [
    ...Object.entries(PUBLIC_CASES),
    ["8-D (four mean directions)", directionsSpec(8, 4)],
  ];
  const caseOptions = (name: string) => ({ rng: createRng(`bench-fit-${name}`), ...(quick && { levels: 8 }) });
  let circle: { x: PointsLike; row: FitBenchRow; bytes: string } | undefined;
  for (const [name, spec] of cases) {
    const d = createDistribution(spec);
    const x = d.sample(n, createRng(`bench-${name}`)).x;
    const t0 = performance.now();
    const model = fitScore(x, caseOptions(name));
    const row = push(`fitScore ${name}`, d.dim, n, model, performance.now() - t0, 0);
    if (name === "circle2d") circle = { x, row, bytes: JSON.stringify(model.toJSON()) };
    await new Promise((r) => setImmediate(r));
  }
  if (workerFile) {
    const big = quick ? 20_000 : 200_000;
    const d = createDistribution(PUBLIC_CASES.gmm2d as object);
    const x = d.sample(big, createRng("bench-workers")).x;
    const opts = () => ({ rng: createRng("bench-fit-workers"), ...(quick && { levels: 8 }) });
    let t0 = performance.now();
    const base = fitScore(x, opts());
    const ref = push(`fitScore gmm2d, ${big} points, main thread`, 2, big, base, performance.now() - t0, 0);
    const bytes = JSON.stringify(base.toJSON());
    // 1 and 2 workers alternate for a few rounds (a shared machine's speed drifts over minutes): each row is the
    // median round, with the process's CPU time (every thread: workers, this one, V8's compiler and GC threads).
    const rounds = quick ? 1 : 3;
    type Run = { ms: number; cpuMs: number; same: boolean; model: ReturnType<typeof fitScore> };
    const alternate = async (fitWith: (workers: number) => Promise<ReturnType<typeof fitScore>>) => {
      const runs: Record<number, Run[]> = { 1: [], 2: [] };
      for (let round = 0; round < rounds; round++) {
        for (const workers of [1, 2]) {
          const c0 = process.cpuUsage();
          const start = performance.now();
          const m = await fitWith(workers);
          const ms = performance.now() - start;
          const c = process.cpuUsage(c0);
          runs[workers]!.push({
            ms,
            cpuMs: (c.user + c.system) / 1000,
            same: JSON.stringify(m.toJSON()) === bytes,
            model: m,
          });
        }
      }
      return runs;
    };
    // One row per worker count, its median round: 1 worker against `first`, 2 against 1.
    const medianRows = (
      runs: Record<number, Run[]>,
      label: (workers: number) => string,
      first: FitBenchRow,
      pool: boolean,
    ) => {
      let one: FitBenchRow | undefined;
      for (const workers of [1, 2]) {
        const all = runs[workers]!;
        const mid = [...all].sort((p, q) => p.ms - q.ms)[Math.floor(all.length / 2)]!;
        const row = push(
          label(workers),
          2,
          big,
          mid.model,
          mid.ms,
          workers,
          one ?? first,
          all.every((r) => r.same),
        );
        if (pool) row.pool = true;
        row.rounds = all.length;
        row.msRounds = all.map((r) => r.ms);
        row.cpuMs = mid.cpuMs;
        one ??= row;
      }
    };
    const threads = (workers: number) => `${workers} worker${workers > 1 ? "s" : ""}`;
    medianRows(
      await alternate((workers) => fitScoreParallel(x, opts(), { workers, workerFile })),
      (workers) => `fitScoreParallel gmm2d, ${big} points, ${threads(workers)}`,
      ref,
      false,
    );
    // The same fits on pools kept warm: a thread compiles the fit's code the first time it runs it (V8 compiles per
    // thread), which a pool's later fits skip. Each pool's first fit is untimed; then 1 and 2 workers alternate.
    const pools: Record<number, FitPool> = {
      1: createFitPool({ workers: 1, workerFile }),
      2: createFitPool({ workers: 2, workerFile }),
    };
    try {
      for (const workers of [1, 2]) await pools[workers]!.fit(x, opts());
      medianRows(
        await alternate((workers) => pools[workers]!.fit(x, opts())),
        (workers) => `FitPool gmm2d, ${big} points, ${threads(workers)}, warm`,
        ref,
        true,
      );
      // The slowest 2-D public case on the warm pool of 2 (its first fit of this case untimed too: circle2d takes
      // code paths gmm2d does not), against its main-thread row above, bytes included.
      if (circle) {
        await pools[2]!.fit(circle.x, caseOptions("circle2d"));
        const times: { ms: number; same: boolean; model: ReturnType<typeof fitScore> }[] = [];
        for (let round = 0; round < rounds; round++) {
          t0 = performance.now();
          const m = await pools[2]!.fit(circle.x, caseOptions("circle2d"));
          times.push({ ms: performance.now() - t0, same: JSON.stringify(m.toJSON()) === circle.bytes, model: m });
        }
        const mid = [...times].sort((a, b) => a.ms - b.ms)[Math.floor(times.length / 2)]!;
        const row = push(
          "FitPool circle2d, 2 workers, warm",
          2,
          n,
          mid.model,
          mid.ms,
          2,
          circle.row,
          times.every((r) => r.same),
        );
        row.pool = true;
        row.rounds = times.length;
        row.msRounds = times.map((r) => r.ms);
      }
    } finally {
      await Promise.all([pools[1]!.close(), pools[2]!.close()]);
    }
  }
  return rows;
}
