// Standalone runner: `pnpm --filter @mixdiff/metrics bench [--quick]` (bundled with esbuild, then run by node).
import { runMetricsBench } from "./metrics.bench.js";

declare const process: { argv: string[] };
declare const console: { table(x: unknown): void };

const rows = await runMetricsBench({ quick: process.argv.includes("--quick") });
console.table(
  rows.map((r) => ({
    metric: r.name,
    "n × n": `${r.n} × ${r.n}`,
    "ms/run": r.msPerRun.toFixed(1),
    "evals/s": r.pairsPerSecond.toExponential(3),
    runs: r.runs,
  })),
);
