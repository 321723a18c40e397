/**
 * Shared fixtures of the learner's runner tests (fitScoreParallel, fitScoreAsync, the worker protocol): the same
 * three-atom 2-D mixture every runner must reproduce byte for byte.
 */
import { createRng, type Points } from "@mixdiff/core";
import { gaussianMixture } from "@mixdiff/mixtures";

/** `n` points of three unit-variance atoms at (−4, 0), (4, 0), (0, 5) with weights 0.4, 0.35, 0.25 (seed 1). */
export function threeAtoms2d(n: number): Points {
  return gaussianMixture({
    means: [
      [-4, 0],
      [4, 0],
      [0, 5],
    ],
    weights: [0.4, 0.35, 0.25],
  }).sample(n, createRng(1)).x;
}

/** The error a promise rejects with; throws when it resolves instead. */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection");
}
