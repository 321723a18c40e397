/**
 * Ready-made values for the TSDoc `@example` blocks of @mixdiff/estimators (the examples harness in
 * apps/integration/examples imports the ones an example uses but does not define): a three-atom 2-D mixture,
 * a few hundred training points, a held-out set, a fitted estimator and a small score model's JSON.
 */
import { createRng, type Points } from "@mixdiff/core";
import { fitScore } from "@mixdiff/score";
import { distribution } from "../mixtures/examples-context";
import { emEstimator } from "./src/index";

export { distribution };
/** 300 training points `[300, 2]`. */
export const train: Points = distribution.sample(300, createRng(2)).x;
/** The training points under the name the single-set examples use. */
export const x: Points = train;
/** 100 held-out points. */
export const test: Points = distribution.sample(100, createRng(3)).x;
/** The held-out points under the name the score-model examples use. */
export const heldOut: Points = test;
/** An EM estimator fitted with k = 3. */
export const fitted = emEstimator({ k: 3 }).fit(train, { rng: createRng(1) });
/** A small score model's JSON (8 levels), as `loadScoreModel` reads it. */
export const json = fitScore(train, { rng: createRng(7), levels: 8 }).toJSON();
