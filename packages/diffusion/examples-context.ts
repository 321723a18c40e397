/**
 * Ready-made values for the TSDoc `@example` blocks of @mixdiff/diffusion (the examples harness in
 * apps/integration/examples imports the ones an example uses but does not define): a small learned score model
 * of a three-atom 2-D mixture (a few hundred points, few levels), its JSON and held-out points.
 */
import type { LearnedScoreModel } from "@mixdiff/score";
import { model } from "../score/examples-context";

/** The data law, a small learned model of it (400 points, 8 levels) and 50 held-out points: score's context. */
export { distribution, heldOut, model } from "../score/examples-context";
/** The same model under the name the log-density examples use. */
export const learnedModel: LearnedScoreModel = model;
/** The model's JSON, as a saved model file holds it. */
export const savedModelJson = model.toJSON();
