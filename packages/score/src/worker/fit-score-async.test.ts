/// <reference types="node" />
import { createRng, isMixdiffError } from "@mixdiff/core";
import { describe, expect, it } from "vitest";
import { rejection, threeAtoms2d } from "../../test/fixtures.js";
import { fitScore } from "../fit-score.js";
import type { FitProgress } from "../resolve-fit-options.js";
import { fitScoreAsync } from "./fit-score-async.js";

// 5 000 points: the pools span 2 blocks of 2 048 points, so the fit pauses inside maps as well as between them.
const x = threeAtoms2d(5000);
const options = { levels: 6 };
const reference = JSON.stringify(fitScore(x, { rng: createRng(2), ...options }).toJSON());

describe("fitScoreAsync", () => {
  it.each([0, 20, 60_000])("gives the bytes of fitScore (sliceMs %d)", async (sliceMs) => {
    const model = await fitScoreAsync(x, { rng: createRng(2), ...options }, { sliceMs });
    expect(JSON.stringify(model.toJSON())).toBe(reference);
  });

  it("returns to the event loop while it fits: a timer set before the fit runs before the last level", async () => {
    let ran = false;
    setTimeout(() => {
      ran = true;
    }, 0);
    const seen: boolean[] = [];
    await fitScoreAsync(
      x,
      { rng: createRng(2), ...options, onProgress: (p: FitProgress) => seen.push(ran && p.level >= 0) },
      { sliceMs: 0 },
    );
    // fitScore would run every level before the timer (seen all false)
    expect(seen.at(-1)).toBe(true);
  });

  it("an abort from another task (a timer, a message) stops the fit with INTERRUPTED before it ends", async () => {
    const controller = new AbortController();
    const progress: FitProgress[] = [];
    const p = fitScoreAsync(
      x,
      {
        rng: createRng(2),
        ...options,
        signal: controller.signal,
        onProgress: (q) => {
          progress.push(q);
          // the abort comes from a later task: only a fit that yields can see it in time
          if (progress.length === 1) setTimeout(() => controller.abort(), 0);
        },
      },
      { sliceMs: 0 },
    );
    const e = await rejection(p);
    expect(isMixdiffError(e) && e.code).toBe("INTERRUPTED");
    expect((e as Error).message).toMatch(/fitScoreAsync: aborted/);
    const total = fitScore(x, { rng: createRng(2), ...options }).diagnostics.levels.length;
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress.length).toBeLessThan(total);
  });

  it("rejects bad options with the learner's typed errors, and a bad sliceMs", async () => {
    const a = await rejection(fitScoreAsync(x, { rng: createRng(2), levels: 1 }));
    expect(isMixdiffError(a) && [a.code, a.location.path]).toEqual(["INVALID_OPTION", "levels"]);
    const b = await rejection(fitScoreAsync(x, { rng: createRng(2) }, { sliceMs: -1 }));
    expect(isMixdiffError(b) && [b.code, b.location.path]).toEqual(["INVALID_OPTION", "sliceMs"]);
    const c = await rejection(
      fitScoreAsync({ data: x.data.subarray(0, 80), rows: 40, cols: 2 }, { rng: createRng(2) }),
    );
    expect(isMixdiffError(c) && c.code).toBe("INVALID_INPUT");
  });
});
