import { defineConfig } from "tsup";

// The CLI is one self-contained ESM file. Workspace packages are bundled from their TypeScript
// sources (the `@mixdiff/source` export condition), so `dist/cli.js` does not depend on the
// libraries having been built, and the benchmark files under packages/*/bench can be imported
// by relative path. Third-party dependencies of the CLI itself stay external.
export default defineConfig({
  // compute-worker runs the long computations (fit, EM, metrics, sampling, scoring) off the main thread, so
  // Ctrl-C is handled at once. The diffusion worker is built beside cli.js so `sampleParallel` (used by the
  // sampler benchmark) finds it.
  entry: {
    cli: "src/cli.ts",
    "compute-worker": "src/compute-worker.ts",
    "diffusion-worker": "../../packages/diffusion/src/node/worker.ts",
    // the learner's worker threads (`fit --workers`): fitScoreParallel is given this file
    "score-fit-worker": "../../packages/score/src/node/fit-worker.ts",
  },
  format: ["esm"],
  target: "node20",
  platform: "node",
  sourcemap: true,
  clean: true,
  dts: false,
  noExternal: [/^@mixdiff\//],
  esbuildOptions(options) {
    options.conditions = ["@mixdiff/source", "module", "import", "default"];
  },
});
