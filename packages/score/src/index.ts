/**
 * @packageDocumentation
 * Score models: the exact oracle and the paper's piecewise-polynomial score learner with warm starts.
 */
export type { ScoreModel } from "./score-model.js";
