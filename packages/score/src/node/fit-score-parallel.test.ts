/// <reference types="node" />
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRng } from "@mixdiff/core";
import { bundleForNode, runSnippet } from "@mixdiff/test-utils/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { threeAtoms2d } from "../../test/fixtures.js";
import { fitScore } from "../fit-score.js";
import type { FitProgress } from "../resolve-fit-options.js";
import { createFitPool, fitScoreParallel } from "./index.js";

// Tests run on TypeScript sources, which a worker thread cannot load: bundle the worker (and the workspace
// packages it imports, through the @mixdiff/source condition).
let dir = "";
let workerFile = "";
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mixdiff-fit-worker-"));
  workerFile = join(dir, "fit-worker.mjs");
  await bundleForNode(join(import.meta.dirname, "fit-worker.ts"), workerFile);
}, 60_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("fitScoreParallel", () => {
  // 7 000 points: 6 000 in the regression and held-out pools → 24 shards → 3 blocks per map, so 2 and 3 workers
  // split every map; the level windows (rowsPerLevel) are exercised too.
  const x = threeAtoms2d(7000);
  const options = { levels: 6, rowsPerLevel: 4000 };
  const reference = JSON.stringify(fitScore(x, { rng: createRng(2), ...options }).toJSON());
  it.each([1, 2, 3])(
    "gives the bytes of fitScore with %i worker(s)",
    async (workers) => {
      const m = await fitScoreParallel(x, { rng: createRng(2), ...options }, { workers, workerFile });
      expect(JSON.stringify(m.toJSON())).toBe(reference);
    },
    120_000,
  );
  it("reports fitScore's progress, the refit's levels in order as the workers finish them", async () => {
    const strip = ({ elapsedMs: _, ...p }: FitProgress) => p;
    const local: FitProgress[] = [];
    fitScore(x, { rng: createRng(2), ...options, onProgress: (p) => local.push(p) });
    const remote: FitProgress[] = [];
    await fitScoreParallel(
      x,
      { rng: createRng(2), ...options, onProgress: (p) => remote.push(p) },
      { workers: 2, workerFile },
    );
    expect(remote.map(strip)).toEqual(local.map(strip));
    // the descent's levels, then the refit's (t = 0 included), each 0, 1, …
    const refit = remote.filter((p) => p.phase === "refit").map((p) => p.level);
    expect(refit).toEqual(Array.from({ length: refit.length }, (_, i) => i));
    expect(refit.length).toBe(remote.length - refit.length);
    // reported as they finish, not all at the end: their times spread over the refit
    const times = remote.filter((p) => p.phase === "refit").map((p) => p.elapsedMs);
    expect(times.at(-1)! - times[0]!).toBeGreaterThan(0);
  }, 120_000);
  it("an abort from another task stops the fit with INTERRUPTED between runs of blocks, and ends the threads", async () => {
    const controller = new AbortController();
    let levels = 0;
    const p = fitScoreParallel(
      x,
      {
        rng: createRng(2),
        ...options,
        signal: controller.signal,
        onProgress: () => {
          // the abort comes from a later task: the threads compute while this one is free to run it
          if (++levels === 1) setTimeout(() => controller.abort(), 0);
        },
      },
      { workers: 2, workerFile },
    );
    await expect(p).rejects.toMatchObject({ code: "INTERRUPTED" });
    expect(levels).toBeGreaterThanOrEqual(1);
    expect(levels).toBeLessThan(2 * options.levels);
  }, 120_000);
  it("validates before starting threads; a bad workers count is INVALID_OPTION", async () => {
    await expect(fitScoreParallel(x, { rng: createRng(2), levels: 1 }, { workerFile })).rejects.toMatchObject({
      code: "INVALID_OPTION",
    });
    await expect(fitScoreParallel(x, { rng: createRng(2) }, { workers: 0, workerFile })).rejects.toMatchObject({
      code: "INVALID_OPTION",
    });
  });
});

describe("createFitPool", () => {
  const x = threeAtoms2d(7000);
  const y = threeAtoms2d(3000);
  const options = { levels: 6, rowsPerLevel: 4000 };
  const bytes = (m: { toJSON(): unknown }) => JSON.stringify(m.toJSON());
  const refX = bytes(fitScore(x, { rng: createRng(2), ...options }));
  const refY = bytes(fitScore(y, { rng: createRng(5), ...options }));
  it("fits again and again on the same threads, each with the bytes of fitScore; calls queue in order", async () => {
    const pool = createFitPool({ workers: 2, workerFile });
    try {
      expect(pool.workers).toBe(2);
      expect(bytes(await pool.fit(x, { rng: createRng(2), ...options }))).toBe(refX);
      // two calls at once: the second waits for the first (each holds the threads' data while it runs)
      const [b, c] = await Promise.all([
        pool.fit(y, { rng: createRng(5), ...options }),
        pool.fit(x, { rng: createRng(2), ...options }),
      ]);
      expect(bytes(b)).toBe(refY);
      expect(bytes(c)).toBe(refX);
    } finally {
      await pool.close();
    }
  }, 180_000);
  it("an aborted fit leaves the pool usable: the next fit has the bytes of fitScore", async () => {
    const pool = createFitPool({ workers: 2, workerFile });
    try {
      const controller = new AbortController();
      let levels = 0;
      const aborted = pool.fit(x, {
        rng: createRng(2),
        ...options,
        signal: controller.signal,
        onProgress: () => {
          if (++levels === 1) setTimeout(() => controller.abort(), 0);
        },
      });
      await expect(aborted).rejects.toMatchObject({ code: "INTERRUPTED" });
      expect(bytes(await pool.fit(y, { rng: createRng(5), ...options }))).toBe(refY);
    } finally {
      await pool.close();
    }
  }, 180_000);
  it("a closed pool rejects fits with INVALID_OPTION; a bad fit rejects without closing it", async () => {
    const pool = createFitPool({ workers: 1, workerFile });
    await expect(pool.fit(x, { rng: createRng(2), levels: 1 })).rejects.toMatchObject({ code: "INVALID_OPTION" });
    expect(bytes(await pool.fit(y, { rng: createRng(5), ...options }))).toBe(refY);
    await pool.close();
    await expect(pool.fit(y, { rng: createRng(5), ...options })).rejects.toMatchObject({ code: "INVALID_OPTION" });
    await pool.close(); // a second close is a no-op
    expect(() => createFitPool({ workers: 0, workerFile })).toThrow(
      expect.objectContaining({ code: "INVALID_OPTION" }),
    );
  }, 180_000);
  it("a thread that stops unasked fails the fit instead of leaving it waiting", async () => {
    const dying = join(dir, "dying-worker.mjs");
    writeFileSync(
      dying,
      `import { parentPort } from "node:worker_threads";\nparentPort.on("message", (m) => { if (m.type === "run") process.exit(3); });\n`,
    );
    await expect(
      fitScoreParallel(x, { rng: createRng(2), ...options }, { workers: 2, workerFile: dying }),
    ).rejects.toThrow(/exit code 3/);
    const pool = createFitPool({ workers: 1, workerFile: dying });
    await expect(pool.fit(y, { rng: createRng(5), ...options })).rejects.toThrow(/exit code 3/);
    await expect(pool.fit(y, { rng: createRng(5), ...options })).rejects.toThrow(/exit code 3/); // stays failed
    await pool.close();
  }, 60_000);
  it("idle threads do not keep the process alive: a script that never closes its pool exits", async () => {
    const run = await runSnippet({
      contents: [
        `import { createRng } from "@mixdiff/core";`,
        `import { createFitPool } from "./index.ts";`,
        `import { threeAtoms2d } from "../../test/fixtures.ts";`,
        `const pool = createFitPool({ workers: 2, workerFile: process.argv[2] });`,
        `const m = await pool.fit(threeAtoms2d(2000), { rng: createRng(1), levels: 4 });`,
        `console.log(m.levels.length > 0 ? "fitted" : "empty");`,
      ].join("\n"),
      resolveDir: import.meta.dirname,
      outfile: join(dir, "unclosed.mjs"),
      args: [workerFile],
      timeoutMs: 90_000,
    });
    expect(run.error).toBeUndefined(); // no timeout
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe("fitted");
  }, 120_000);
});
