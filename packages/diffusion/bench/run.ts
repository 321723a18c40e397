// Standalone runner: `pnpm --filter @mixdiff/diffusion bench [--quick]` (bundled with esbuild together with the
// worker script, then run by node).
import { runSamplerBench } from "./samplers.bench.js";

declare const process: { argv: string[] };
declare const console: { table(x: unknown): void };

const rows = await runSamplerBench({
  quick: process.argv.includes("--quick"),
  workerFile: new URL("./worker.mjs", import.meta.url),
});
console.table(
  rows.map((r) => ({
    sampler: r.sampler,
    dim: r.dim,
    threads: r.workers === 0 ? "main" : r.workers,
    n: r.n,
    steps: r.steps,
    "ms/run": r.msPerRun.toFixed(0),
    "samples/s": Math.round(r.samplesPerSecond),
    runs: r.runs,
  })),
);
