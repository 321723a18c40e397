import { existsSync } from "node:fs";
import { join } from "node:path";
import { createPoints, createRng, type Points, type Seed, toArrays } from "@mixdiff/core";
import { sample as diffusionSample } from "@mixdiff/diffusion";
import { createDistribution, type DistributionSpec } from "@mixdiff/mixtures";
import { exactScoreModel, type LearnedScoreModel, type ScoreModel } from "@mixdiff/score";
import { runTask } from "../compute.js";
import { defaultHeader, formatCsv } from "../csv.js";
import { parseIntOption, resolveSeed } from "../input.js";
import { emFileFrom } from "../model-file.js";
import { checkpoint, ensureDirectory, keepDirectories, OutputFile, writeStdout } from "../output.js";
import { type Bounds, boundsOf, drawPanels } from "../plot/plots.js";
import { svgToPng } from "../plot/png.js";
import { CLI_VERSION } from "../program.js";
import { Reporter } from "../reporter.js";
import { showSeed } from "./common.js";
import { diffusionSummary, fitDiffusion, fitEmModel, resolveFitOptions } from "./fit.js";
import { drawAll } from "./sample.js";

/** The embedded demo distribution: four well-separated atoms in 2-D with unequal weights, σ0 = 1. */
export const DEMO_SPEC: DistributionSpec = {
  name: "demo-4gmm2d",
  dim: 2,
  noiseStd: 1,
  mixing: {
    kind: "atoms",
    points: [
      [-5, -2],
      [4, -3],
      [0, 5],
      [5, 3],
    ],
    weights: [0.35, 0.25, 0.25, 0.15],
  },
};

/** Marker file of a demo output directory. */
export const DEMO_MARKER = ".mixdiff-demo";

/** Files the demo writes (relative to --out). */
export const DEMO_FILES = [
  "data.csv",
  "model.json",
  "em.json",
  "samples-diffusion.csv",
  "samples-em.csv",
  "metrics.json",
  "samples.svg",
  "samples.png",
  "score-field.svg",
  "score-field.png",
  "trajectory.svg",
  "trajectory.png",
] as const;

export interface DemoOptions {
  out: string;
  seed: string;
  n: string;
  json?: boolean;
  force?: boolean;
}

/** A held-out log-likelihood in the demo's results: mean ln p̂ per point ± standard error. */
interface HeldOut {
  mean: number;
  standardError: number;
  method: string;
}

const COLORS = { truth: "#4a4a4a", diffusion: "#d62728", em: "#1f77b4", exact: "#2ca02c" };

/** A grid of arrows `[x, y, dx, dy]` of a score field at time t, scaled for display. */
function scoreArrows(
  model: ScoreModel,
  t: number,
  b: Bounds,
  m: number,
  scale: number,
): [number, number, number, number][] {
  const y = createPoints(m * m, 2);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      y.data[(i * m + j) * 2] = b.xMin + ((j + 0.5) / m) * (b.xMax - b.xMin);
      y.data[(i * m + j) * 2 + 1] = b.yMin + ((i + 0.5) / m) * (b.yMax - b.yMin);
    }
  }
  const s = model.score(y, t);
  const out: [number, number, number, number][] = [];
  for (let k = 0; k < m * m; k++)
    out.push([y.data[2 * k]!, y.data[2 * k + 1]!, scale * s.data[2 * k]!, scale * s.data[2 * k + 1]!]);
  return out;
}

function fmtCell(v: number | undefined, se: number | null | undefined): string {
  if (v === undefined) return "—";
  const f = (x: number) => (Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(2) : x.toFixed(4));
  return se === null || se === undefined ? f(v) : `${f(v)} ± ${f(se)}`;
}

/**
 * `mixdiff demo [--out DIR]`: generate data from the embedded mixture, fit the diffusion model and EM, sample
 * both, evaluate against the truth, print a comparison table and write pictures (SVG + PNG). Every output's temp
 * file is created first (an unwritable directory is reported before the work); the computations run on the compute
 * worker; all files are published together at the end, so an interrupted demo leaves nothing behind.
 */
export async function demo(opts: DemoOptions): Promise<void> {
  const n = parseIntOption("--n", opts.n, 100, 1_000_000);
  const { seed } = resolveSeed(opts.seed);
  const dir = opts.out;
  const tStart = Date.now();
  ensureDirectory(dir);
  // A directory written by an earlier demo (it holds the marker file) is refreshed without --force, so
  // `pnpm demo` can be run again; any other existing file is refused without --force.
  const force = !!opts.force || existsSync(join(dir, DEMO_MARKER));
  const outputs = new Map<string, OutputFile>();
  for (const f of [DEMO_MARKER, ...DEMO_FILES]) outputs.set(f, new OutputFile(join(dir, f), { force, flag: "--out" }));
  const contents = new Map<string, string | Uint8Array>();
  const write = (f: string, content: string | Uint8Array) => contents.set(f, content);
  write(DEMO_MARKER, "This directory is written by `mixdiff demo`; the demo overwrites its files here.\n");
  const log = new Reporter(false);
  const truth = createDistribution(DEMO_SPEC);
  const nSamples = Math.min(n, 5000);
  log.info(
    `mixdiff demo: ${DEMO_SPEC.name} — 4 Gaussians in 2-D (σ0 = 1), ${n} training points, seed ${showSeed(seed)}`,
  );

  // 1. data
  const rng = createRng(seed);
  const quiet = new Reporter(true);
  const data = await drawAll({ source: { kind: "spec", spec: DEMO_SPEC }, n, seed, stream: "data" }, 2, quiet);
  // plain CSVs (a header, then numbers): the provenance is in metrics.json and model.json
  write("data.csv", formatCsv(data, { header: defaultHeader(2) }));

  // 2. fit: the paper's learner and EM
  const fitOpts = resolveFitOptions({ out: join(dir, "model.json"), method: "diffusion" });
  let t0 = Date.now();
  const model: LearnedScoreModel = await fitDiffusion(data, `${showSeed(seed)}-fit`, fitOpts, log);
  const fitMs = Date.now() - t0;
  const summary = diffusionSummary(model);
  const modelJson = model.toJSON();
  write(
    "model.json",
    `${JSON.stringify({ ...modelJson, provenance: { writer: `mixdiff-cli ${CLI_VERSION}`, command: "demo", seed } })}\n`,
  );
  log.info(
    `fit (diffusion): ${model.levels.length} noise levels, up to ${Math.max(...model.levels.map((l) => l.cells))} cells, ${(fitMs / 1000).toFixed(1)} s, KL term ${summary.klTerm.toPrecision(3)}`,
  );
  t0 = Date.now();
  const em = await fitEmModel(data, `${showSeed(seed)}-em`, { ...fitOpts, k: undefined, restarts: 2 }, quiet, {
    kMax: 6,
    tolerance: 1e-7,
    maxIterations: 300,
  });
  const emMs = Date.now() - t0;
  write("em.json", `${JSON.stringify(emFileFrom(em, `${showSeed(seed)}-em` as Seed), null, 1)}\n`);
  log.info(`fit (EM): k = ${em.k} chosen by BIC in 1..6 (2 restarts each), ${(emMs / 1000).toFixed(1)} s`);

  // 3. sample both
  t0 = Date.now();
  const xDiff = await drawAll(
    {
      source: { kind: "sampler", model: { kind: "learned", json: modelJson } },
      n: nSamples,
      seed,
      stream: "sample-diffusion",
      sampler: "exponentialIntegrator",
    },
    2,
    log,
  );
  const sampleMs = Date.now() - t0;
  // the spec `emDistribution(em)` builds (gaussianMixture), rebuilt on the worker
  const emSpec = {
    name: `em-k${em.k}`,
    dim: 2,
    noiseStd: em.noiseStd,
    mixing: { kind: "atoms", points: toArrays(em.means), weights: Array.from(em.weights) },
  };
  const xEm = await drawAll(
    { source: { kind: "spec", spec: emSpec }, n: nSamples, seed, stream: "sample-em" },
    2,
    quiet,
  );
  write("samples-diffusion.csv", formatCsv(xDiff, { header: defaultHeader(2) }));
  write("samples-em.csv", formatCsv(xEm, { header: defaultHeader(2) }));
  log.info(`sample: ${nSamples} from each model (diffusion sampler ${(sampleMs / 1000).toFixed(1)} s)`);

  // 4. evaluate against the truth (same reference sample, nSamples exact draws, for both)
  const { tables } = await runTask("metrics", { sampleSets: [xDiff, xEm], spec: DEMO_SPEC, nRef: nSamples, seed });
  const [rowsDiff, rowsEm] = tables as [NonNullable<(typeof tables)[0]>, NonNullable<(typeof tables)[0]>];
  // held-out log-likelihood of both models (the learned one through its probability-flow ODE) on fresh exact draws
  t0 = Date.now();
  const nHeld = Math.min(n, 1000);
  const heldOut = await drawAll(
    { source: { kind: "spec", spec: DEMO_SPEC }, n: nHeld, seed, stream: "held-out" },
    2,
    quiet,
  );
  const likelihood = async (source: { kind: "learned"; json: unknown } | { kind: "exact"; spec: unknown }) => {
    const r = await runTask("logLikelihood", { model: source, points: heldOut, spec: DEMO_SPEC });
    return { mean: r.mean, standardError: r.standardError, method: r.method, truth: r.truth };
  };
  const llDiff = await likelihood({ kind: "learned", json: modelJson });
  const llEm = await likelihood({ kind: "exact", spec: emSpec });
  const llTruth = llDiff.truth as { mean: number; standardError: number };
  log.info(`held-out log-likelihood: ${nHeld} fresh points, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const heldOutRow = (h: HeldOut) => ({
    name: "heldOutLogLikelihood",
    value: h.mean,
    standardError: h.standardError,
    note: `mean ln p̂ on ${nHeld} fresh points, higher is better (truth: ${llTruth.mean.toFixed(4)})`,
  });
  rowsDiff.push(heldOutRow(llDiff));
  rowsEm.push(heldOutRow(llEm));
  const names = rowsDiff.map((r) => r.name);
  const w = Math.max(...names.map((s) => s.length), 6);
  const colW = 22;
  const table = [
    `${"metric".padEnd(w)}  ${"diffusion (paper)".padEnd(colW)}  ${"EM (baseline)".padEnd(colW)}`,
    ...names.map((name) => {
      const a = rowsDiff.find((r) => r.name === name);
      const b = rowsEm.find((r) => r.name === name);
      return `${name.padEnd(w)}  ${fmtCell(a?.value, a?.standardError).padEnd(colW)}  ${fmtCell(b?.value, b?.standardError).padEnd(colW)}`;
    }),
  ].join("\n");
  // no timings in the file (they are on stderr): the same seed gives the same bytes
  const results = {
    version: CLI_VERSION,
    seed,
    n,
    nSamples,
    spec: DEMO_SPEC,
    heldOut: { rows: nHeld, truth: llTruth },
    diffusion: {
      fit: summary,
      metrics: rowsDiff,
      heldOutLogLikelihood: { mean: llDiff.mean, standardError: llDiff.standardError, method: llDiff.method },
    },
    em: {
      k: em.k,
      weights: Array.from(em.weights),
      metrics: rowsEm,
      heldOutLogLikelihood: { mean: llEm.mean, standardError: llEm.standardError, method: llEm.method },
    },
  };
  write("metrics.json", `${JSON.stringify(results, null, 2)}\n`);
  await checkpoint();

  // 5. pictures
  const series = (label: string, color: string, p: Points) => ({ label, color, data: p.data, cols: p.cols });
  const sub = (p: Points, m: number): Points => ({
    data: p.data.subarray(0, Math.min(m, p.rows) * p.cols),
    rows: Math.min(m, p.rows),
    cols: p.cols,
  });
  const bounds = boundsOf([series("", "", sub(data, 3000))]);
  const samplesSvg = drawPanels(
    [
      { title: "true distribution (data)", series: [series("data", COLORS.truth, sub(data, 3000))] },
      { title: "diffusion model (paper)", series: [series("learned samples", COLORS.diffusion, sub(xDiff, 3000))] },
      { title: "EM baseline", series: [series("EM samples", COLORS.em, sub(xEm, 3000))] },
    ],
    bounds,
    "True vs learned samples",
  );
  const tField = 1;
  const fieldScale = 0.35;
  const fieldSvg = drawPanels(
    [
      {
        title: `learned score, t = ${tField}`,
        arrows: [
          {
            label: "learned ∇ln p_t",
            color: COLORS.diffusion,
            arrows: scoreArrows(model, tField, bounds, 17, fieldScale),
          },
        ],
      },
      {
        title: `exact score, t = ${tField}`,
        arrows: [
          {
            label: "exact ∇ln p_t",
            color: COLORS.exact,
            arrows: scoreArrows(exactScoreModel(truth), tField, bounds, 17, fieldScale),
          },
        ],
      },
    ],
    bounds,
    "Learned vs exact score field",
  );
  const nPaths = 30;
  const traj = diffusionSample(model, {
    n: nPaths,
    rng: rng.stream("trajectory"),
    sampler: "probabilityFlowHeun",
    steps: 60,
    trajectoryEvery: 1,
  });
  const paths: [number, number][][] = [];
  for (let i = 0; i < nPaths; i++)
    paths.push((traj.trajectory?.points ?? []).map((p) => [p.data[2 * i], p.data[2 * i + 1]] as [number, number]));
  const trajSvg = drawPanels(
    [
      {
        title: "reverse diffusion (learned score)",
        series: [series("data", "#bbbbbb", sub(data, 2000))],
        paths: [{ label: `${nPaths} probability-flow ODE paths, T → 0`, color: COLORS.diffusion, paths }],
      },
    ],
    boundsOf([series("", "", sub(data, 3000)), { label: "", color: "", cols: 2, data: paths.flat().flat() }], 0.03),
    "A reverse-diffusion trajectory",
  );
  for (const [name, svg] of [
    ["samples", samplesSvg],
    ["score-field", fieldSvg],
    ["trajectory", trajSvg],
  ] as const) {
    write(`${name}.svg`, svg);
    write(`${name}.png`, svgToPng(svg, 1200));
    await checkpoint();
  }

  // 6. publish every file at once (synchronously: a signal lands before all of them or after all of them)
  for (const [f, out] of outputs) {
    out.write(contents.get(f) as string | Uint8Array);
    out.commit();
  }
  keepDirectories();

  if (opts.json) {
    writeStdout(`${JSON.stringify({ command: "demo", ...results, out: dir, files: [...DEMO_FILES] }, null, 2)}\n`);
    return;
  }
  writeStdout(`\nSamples vs the true distribution (${nSamples} samples each; value ± standard error):\n${table}\n`);
  writeStdout(`\nWrote to ${dir}/: ${DEMO_FILES.join(", ")}\n`);
  writeStdout(
    `Pictures: ${join(dir, "samples.png")} (true vs learned samples), ${join(dir, "score-field.png")} (learned vs exact score), ${join(dir, "trajectory.png")} (reverse diffusion).\n`,
  );
  writeStdout(`Total ${((Date.now() - tStart) / 1000).toFixed(1)} s. Next: \`mixdiff fit --help\`.\n`);
}
