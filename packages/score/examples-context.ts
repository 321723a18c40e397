/**
 * Ready-made values for the TSDoc `@example` blocks of @mixdiff/score (the examples harness in
 * apps/integration/examples imports the ones an example uses but does not define). Small on purpose: a
 * three-atom 2-D mixture, a few hundred points, a fit with few levels.
 */
import { createRng, type Points } from "@mixdiff/core";
import { distribution } from "../mixtures/examples-context";
import { exactScoreModel, fitScore, type LearnedScoreModel } from "./src/index";

export { distribution };
/** A seeded generator. */
export const rng = createRng(1);
/** 400 training points `[400, 2]`. */
export const samples: Points = distribution.sample(400, createRng(2)).x;
/** The training points again, under the name the option examples use. */
export const x: Points = samples;
/** 50 held-out points. */
export const heldOut: Points = distribution.sample(50, createRng(3)).x;
/** A small fitted model (8 levels). */
export const model: LearnedScoreModel = fitScore(samples, { rng: createRng(7), levels: 8 });
/** The same model under the name the comparison examples use. */
export const learned: LearnedScoreModel = model;
/** The exact score of `distribution`. */
export const oracle = exactScoreModel(distribution);
/** `n` draws of p_t (VE time t): data points plus N(0, t·I) noise. */
function drawPt(n: number, t: number, seed: number): Points {
  const out = distribution.sample(n, createRng(seed)).x;
  const noise = createRng(seed + 100);
  for (let i = 0; i < out.data.length; i++) out.data[i] = out.data[i]! + Math.sqrt(t) * noise.normal();
  return out;
}
/** 20 noisy points `y`: a draw of p_t at t = 0.5. */
export const y: Points = drawPt(20, 0.5, 4);
/** 200 points drawn from p_t at t = 1, for scoreError. */
export const yFromPt: Points = drawPt(200, 1, 5);
/** The model's JSON form (what `loadScoreModel` reads). */
export const json = model.toJSON();
