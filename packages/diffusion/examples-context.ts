/**
 * Ready-made values for the TSDoc `@example` blocks of @mixdiff/diffusion (the examples harness in
 * apps/integration/examples imports the ones an example uses but does not define): a small learned score model
 * of a three-atom 2-D mixture (a few hundred points, few levels), its JSON and held-out points.
 */
import { createRng, type Points } from "@mixdiff/core";
import { gaussianMixture } from "@mixdiff/mixtures";
import { fitScore, type LearnedScoreModel } from "@mixdiff/score";

/** The data law: three unit-variance atoms at (−4, 0), (4, 0), (0, 5). */
export const distribution = gaussianMixture({
  means: [
    [-4, 0],
    [4, 0],
    [0, 5],
  ],
  weights: [0.4, 0.35, 0.25],
});
/** A small learned model (400 points, 8 levels). */
export const model: LearnedScoreModel = fitScore(distribution.sample(400, createRng(2)).x, {
  rng: createRng(7),
  levels: 8,
});
/** The same model under the name the log-density examples use. */
export const learnedModel: LearnedScoreModel = model;
/** The model's JSON, as a saved model file holds it. */
export const savedModelJson = model.toJSON();
/** 50 held-out points. */
export const heldOut: Points = distribution.sample(50, createRng(3)).x;
