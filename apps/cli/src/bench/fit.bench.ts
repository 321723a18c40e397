import { createRng } from "@mixdiff/core";
import { createDistribution } from "@mixdiff/mixtures";
import { fitScore } from "@mixdiff/score";
import { EXAMPLES } from "../examples.js";

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
}

/** The public cases (test-fixtures/eval/cases), as shipped with the CLI (`mixdiff examples`). */
export const PUBLIC_CASES = Object.fromEntries(Object.entries(EXAMPLES).map(([name, e]) => [name, e.spec]));

/**
 * Times `fitScore` once per public case on n exact samples (20 000; quick: 2 000 with 8 levels).
 * One fit per case: fits take seconds, so run-to-run noise is small next to the differences measured.
 */
export async function runFitBench({ quick = false }: { quick?: boolean } = {}): Promise<FitBenchRow[]> {
  const n = quick ? 2000 : 20_000;
  const rows: FitBenchRow[] = [];
  for (const [name, spec] of Object.entries(PUBLIC_CASES)) {
    const d = createDistribution(spec);
    const x = d.sample(n, createRng(`bench-${name}`)).x;
    const t0 = performance.now();
    const model = fitScore(x, { rng: createRng(`bench-fit-${name}`), ...(quick && { levels: 8 }) });
    const ms = performance.now() - t0;
    rows.push({
      package: "@mixdiff/cli",
      name: `fitScore ${name}`,
      dim: d.dim,
      n,
      levels: model.levels.length,
      msPerFit: ms,
      pointsPerSecond: (n * model.levels.length) / (ms / 1000),
      klTerm: model.diagnostics.klTerm,
    });
    await new Promise((r) => setImmediate(r));
  }
  return rows;
}
