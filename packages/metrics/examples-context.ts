/**
 * Ready-made values for the TSDoc `@example` blocks of @mixdiff/metrics (the examples harness in
 * apps/integration/examples imports the ones an example uses or `declare`s but does not define): two samples of
 * 200 points from two nearby 2-D mixtures.
 */
import { createRng, toArrays } from "@mixdiff/core";
import { gaussianMixture } from "@mixdiff/mixtures";

const truth = gaussianMixture({
  means: [
    [-2, 0],
    [2, 0],
  ],
});
const shifted = gaussianMixture({
  means: [
    [-2, 0.3],
    [2, 0.3],
  ],
});
/** 200 reference points from the true law. */
export const reference: number[][] = toArrays(truth.sample(200, createRng(1)).x);
/** 200 generated points from a slightly shifted law. */
export const generated: number[][] = toArrays(shifted.sample(200, createRng(2)).x);
/** The first of two samples (the reference points). */
export const x: number[][] = reference;
/** The second of two samples (the generated points). */
export const y: number[][] = generated;
