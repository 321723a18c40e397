/// <reference types="node" />
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createPoints, createRng, isMixdiffError } from "@mixdiff/core";
import { createDistribution } from "@mixdiff/mixtures";
import { exactScoreModel, fitScore } from "@mixdiff/score";
import { bundleForNode, runSnippet } from "@mixdiff/test-utils/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import gmm2d from "../../../../test-fixtures/eval/cases/gmm2d.json";
import { sample } from "../sample.js";
import { createSamplePool, sampleParallel } from "./index.js";

// Tests run on TypeScript sources, which a worker thread cannot load: bundle the worker (and the workspace
// packages it imports, through the @mixdiff/source condition).
let dir = "";
let workerFile = "";
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mixdiff-worker-"));
  workerFile = join(dir, "worker.mjs");
  await bundleForNode(join(import.meta.dirname, "worker.ts"), workerFile);
  writeFileSync(
    join(dir, "linear-model.mjs"),
    `export default ({ sigma0 }) => ({ dim: 1, sigma0, mean: new Float64Array([0]), tMax: Infinity,
       score(y, t, out = { data: new Float64Array(y.rows), rows: y.rows, cols: 1 }) {
         for (let i = 0; i < y.rows; i++) out.data[i] = -y.data[i] / (sigma0 * sigma0 + t); return out; },
       posteriorMean(y, t, out = { data: new Float64Array(y.rows), rows: y.rows, cols: 1 }) {
         for (let i = 0; i < y.rows; i++) out.data[i] = 0; return out; } });
     export const broken = () => ({ dim: 1, sigma0: 1, mean: new Float64Array([0]), tMax: Infinity,
       score(y, t, out = { data: new Float64Array(y.rows), rows: y.rows, cols: 1 }) { out.data.fill(Number.NaN); return out; },
       posteriorMean(y, t, out) { return out; } });`,
  );
}, 60_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("sampleParallel", () => {
  const model = exactScoreModel(createDistribution(gmm2d));
  it.each([1, 2, 3])("gives the same bytes as one thread with %i worker(s)", async (workers) => {
    const o = { n: 101, steps: 30, sampler: "exponentialIntegrator" as const };
    const single = sample(model, { ...o, rng: createRng(7) });
    const par = await sampleParallel(
      { kind: "exact", spec: gmm2d },
      { ...o, seed: 7, workers, workerFile, chunkSize: 9 },
    );
    expect(new Uint8Array(par.samples.data.buffer)).toEqual(new Uint8Array(single.samples.data.buffer));
    expect(par.grid).toEqual(single.grid);
  });

  it("a learned model with a subspace (m < n): same bytes across threads, subspace simulated", async () => {
    const x = createPoints(600, 3);
    const r = createRng("par-learned");
    for (let i = 0; i < 600; i++) {
      x.data[i * 3] = 4 * ((i % 2) - 0.5) + r.normal();
      x.data[i * 3 + 1] = r.normal();
      x.data[i * 3 + 2] = r.normal();
    }
    const learned = fitScore(x, { rng: createRng(1), sigma0: 1, levels: 6, noiseDraws: 1 });
    expect(learned.subspaceDim).toBeLessThan(3);
    const o = { n: 41, steps: 10, sampler: "exponentialIntegrator" as const };
    const single = sample(learned, { ...o, rng: createRng(3) });
    const par = await sampleParallel(
      { kind: "learned", json: learned.toJSON() },
      { ...o, seed: 3, workers: 2, workerFile, chunkSize: 6 },
    );
    expect(par.samples.data).toEqual(single.samples.data);
    expect(par.simulatedDim).toBe(learned.subspaceDim);
    const full = await sampleParallel(
      { kind: "learned", json: learned.toJSON() },
      { ...o, seed: 3, workers: 2, workerFile, simulateSubspace: false },
    );
    expect(full.simulatedDim).toBe(3);
    expect(full.samples.data).toEqual(
      sample(learned, { ...o, rng: createRng(3), simulateSubspace: false }).samples.data,
    );
  });

  it("carries trajectories, schedules and other samplers across threads", async () => {
    const o = { n: 20, steps: 12, sampler: "probabilityFlowHeun" as const, trajectoryEvery: 5 };
    const single = sample(model, { ...o, rng: createRng("s") });
    const par = await sampleParallel({ kind: "exact", spec: gmm2d }, { ...o, seed: "s", workers: 2, workerFile });
    expect(par.samples.data).toEqual(single.samples.data);
    expect(par.trajectory?.steps).toEqual(single.trajectory?.steps);
    expect(par.trajectory?.points[1]?.data).toEqual(single.trajectory?.points[1]?.data);
  });

  it("reports progress per piece and maps an abort to INTERRUPTED", async () => {
    const done: number[] = [];
    await sampleParallel(
      { kind: "exact", spec: gmm2d },
      { n: 50, seed: 1, workers: 2, workerFile, steps: 5, onProgress: (p) => done.push(p.done) },
    );
    expect(done.length).toBe(8); // 2 workers × 4 pieces
    expect(Math.max(...done)).toBe(50);
    const controller = new AbortController();
    controller.abort();
    let err: unknown;
    try {
      await sampleParallel(
        { kind: "exact", spec: gmm2d },
        { n: 50, seed: 1, workers: 1, workerFile, steps: 5, signal: controller.signal },
      );
    } catch (e) {
      err = e;
    }
    expect(isMixdiffError(err, "INTERRUPTED"), String(err)).toBe(true);
  });

  it("loads custom models from a module descriptor", async () => {
    const url = pathToFileURL(join(dir, "linear-model.mjs")).href;
    const r = await sampleParallel(
      { kind: "module", url, args: { sigma0: 1 } },
      { n: 8, seed: 1, workers: 2, workerFile, steps: 10 },
    );
    expect(r.samples.rows).toBe(8);
    expect(r.samples.data.every(Number.isFinite)).toBe(true);
  });

  it("validates before starting threads and restores error codes from workers", async () => {
    await expect(sampleParallel({ kind: "exact", spec: gmm2d }, { n: 0, seed: 1, workerFile })).rejects.toThrow(
      /n must be/,
    );
    await expect(sampleParallel({ kind: "nope" } as never, { n: 1, seed: 1, workerFile })).rejects.toThrow(
      /descriptor/,
    );
    let err: unknown;
    try {
      const url = pathToFileURL(join(dir, "linear-model.mjs")).href;
      await sampleParallel(
        { kind: "module", url, export: "broken" },
        { n: 4, seed: 1, workers: 1, workerFile, steps: 5, tMax: 10 },
      );
    } catch (e) {
      err = e;
    }
    // A score that returns NaN makes the state non-finite inside the worker.
    expect(isMixdiffError(err, "NUMERICAL_FAILURE"), String(err)).toBe(true);
  });
});

describe("createSamplePool", () => {
  const model = exactScoreModel(createDistribution(gmm2d));
  it("runs again and again on the same threads, at once too, each with the bytes of one thread", async () => {
    const pool = await createSamplePool({ workers: 2, workerFile });
    try {
      expect(pool.workers).toBe(2);
      const o = { n: 61, steps: 20, sampler: "exponentialIntegrator" as const, chunkSize: 7 };
      const one = (seed: number) => sample(model, { ...o, rng: createRng(seed) }).samples.data;
      expect((await pool.sample({ kind: "exact", spec: gmm2d }, { ...o, seed: 1 })).samples.data).toEqual(one(1));
      const [a, b] = await Promise.all([
        pool.sample({ kind: "exact", spec: gmm2d }, { ...o, seed: 2 }),
        pool.sample({ kind: "exact", spec: gmm2d }, { ...o, seed: 3 }),
      ]);
      expect(a.samples.data).toEqual(one(2));
      expect(b.samples.data).toEqual(one(3));
      // another model between two runs of the first: each thread rebuilds the model its piece names
      const url = pathToFileURL(join(dir, "linear-model.mjs")).href;
      const linear = await pool.sample({ kind: "module", url, args: { sigma0: 1 } }, { n: 8, seed: 1, steps: 10 });
      expect(linear.samples.rows).toBe(8);
      expect((await pool.sample({ kind: "exact", spec: gmm2d }, { ...o, seed: 1 })).samples.data).toEqual(one(1));
    } finally {
      await pool.close();
    }
  });
  it("an aborted run leaves the pool usable; the pool's own options are refused per run; a closed pool rejects", async () => {
    const pool = await createSamplePool({ workers: 1, workerFile });
    const o = { n: 30, steps: 10 };
    const controller = new AbortController();
    controller.abort();
    await expect(
      pool.sample({ kind: "exact", spec: gmm2d }, { ...o, seed: 1, signal: controller.signal }),
    ).rejects.toMatchObject({ code: "INTERRUPTED" });
    await expect(
      pool.sample({ kind: "exact", spec: gmm2d }, { ...o, seed: 1, workers: 2 } as never),
    ).rejects.toMatchObject({ code: "INVALID_OPTION" });
    const after = await pool.sample({ kind: "exact", spec: gmm2d }, { ...o, seed: 1 });
    expect(after.samples.data).toEqual(sample(model, { ...o, rng: createRng(1) }).samples.data);
    await pool.close();
    await expect(pool.sample({ kind: "exact", spec: gmm2d }, { ...o, seed: 1 })).rejects.toMatchObject({
      code: "INVALID_OPTION",
    });
    await pool.close(); // a second close is a no-op
    await expect(createSamplePool({ workers: 0, workerFile })).rejects.toMatchObject({ code: "INVALID_OPTION" });
  });
  it("idle threads do not keep the process alive: a script that never closes its pool exits", async () => {
    // Beside the package's node_modules, where the script's import of piscina (left external) resolves.
    const cache = join(import.meta.dirname, "../../node_modules/.cache");
    mkdirSync(cache, { recursive: true });
    const here = mkdtempSync(join(cache, "unclosed-"));
    const run = await runSnippet({
      contents: [
        `import { createSamplePool } from "./index.ts";`,
        `import gmm2d from "../../../../test-fixtures/eval/cases/gmm2d.json";`,
        `const pool = await createSamplePool({ workers: 2, workerFile: process.argv[2] });`,
        `const r = await pool.sample({ kind: "exact", spec: gmm2d }, { n: 20, seed: 1, steps: 5 });`,
        `console.log(r.samples.rows);`,
      ].join("\n"),
      resolveDir: import.meta.dirname,
      outfile: join(here, "unclosed.mjs"),
      args: [workerFile],
      timeoutMs: 60_000,
      external: ["piscina"],
    });
    rmSync(here, { recursive: true, force: true });
    expect(run.error).toBeUndefined(); // no timeout
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe("20");
  }, 90_000);
});
