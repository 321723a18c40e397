import { describe, expect, it } from "vitest";
import gmm2d from "../../../test-fixtures/eval/cases/gmm2d.json";
import ref from "../../../test-fixtures/eval/reference-values.json";
import { atomsModel } from "./models.js";

describe("the test oracle (atomsModel) agrees with test-fixtures reference values", () => {
  const model = atomsModel(gmm2d.mixing.points, gmm2d.mixing.weights, gmm2d.noiseStd);
  it.each(ref.cases.gmm2d.map((r, i) => [i, r] as const))("gmm2d reference point %i", (_i, r) => {
    const y = { data: Float64Array.from(r.y), rows: 1, cols: 2 };
    const s = model.score(y, r.t).data;
    const f = model.posteriorMean(y, r.t).data;
    for (let c = 0; c < 2; c++) {
      // README of the fixtures: agreement to 1e-9 relative for atoms (absolute floor for values near 0).
      expect(Math.abs(s[c]! - r.score[c]!)).toBeLessThan(1e-9 * Math.abs(r.score[c]!) + 1e-9);
      expect(Math.abs(f[c]! - r.posteriorMean[c]!)).toBeLessThan(1e-9 * Math.abs(r.posteriorMean[c]!) + 1e-9);
    }
  });
});
