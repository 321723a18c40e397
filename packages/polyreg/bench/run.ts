// Standalone runner: `pnpm --filter @mixdiff/polyreg bench [--quick]` (bundled with esbuild, then run by node);
// `pnpm --filter @mixdiff/polyreg roofline [--quick]` runs the roofline instead.
import { runAccumulateBench } from "./accumulate.bench.js";
import { runRooflineBench } from "./roofline.bench.js";

declare const process: { argv: string[] };
declare const console: { table(x: unknown): void; log(x: unknown): void };

const quick = process.argv.includes("--quick");
if (process.argv.includes("--roofline")) {
  const rows = await runRooflineBench({ quick });
  console.table(
    rows.map((r) => ({
      row: r.name,
      "Mmadd/s": (r.maddsPerSecond / 1e6).toFixed(0),
      "of JS peak": r.ofJsPeak.toFixed(2),
      "of wasm peak": r.ofWasmPeak.toFixed(2),
      "× JS": r.speedupOverJs?.toFixed(2) ?? "",
    })),
  );
} else {
  const rows = await runAccumulateBench({ quick });
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
}
