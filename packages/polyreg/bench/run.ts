// Standalone runner: `pnpm --filter @mixdiff/polyreg bench [--quick]` (bundled with esbuild, then run by node).
import { runAccumulateBench } from "./accumulate.bench.js";

declare const process: { argv: string[] };
declare const console: { table(x: unknown): void; log(x: unknown): void };

const rows = await runAccumulateBench({ quick: process.argv.includes("--quick") });
console.table(
  rows.map((r) => ({
    case: r.name,
    impl: r.implementation,
    rows: r.rows,
    "ms/run": r.msPerRun.toFixed(1),
    "rows·p²/s": r.rowsFeatures2PerSecond.toExponential(3),
    speedup: r.speedup?.toFixed(1) ?? "",
  })),
);
