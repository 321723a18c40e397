import type { PiecewiseModel } from "./piecewise-accumulator.js";
import { fail, integer, numbers, object, readPolynomial, version } from "./polynomial-from-json.js";

/**
 * Validates a parsed JSON value as a {@link PiecewiseModel} and returns a fresh copy: `MODEL_VERSION` for an
 * unknown version, `MODEL_FORMAT` naming the field path (e.g. `cells[2].coefficients[7]`) for anything else,
 * including a cell whose centre differs from `centers[j]` or whose dim/outputs disagree.
 *
 * @example
 * ```ts
 * import { fitPiecewise, piecewiseFromJSON } from "@mixdiff/polyreg";
 * const m = fitPiecewise([[-1], [1]], [[0], [1]], { centers: [[-1], [1]], scale: 1, degree: 0 });
 * const back = piecewiseFromJSON(JSON.parse(JSON.stringify(m)));
 * ```
 */
export function piecewiseFromJSON(json: unknown): PiecewiseModel {
  const o = object(json, "(root)");
  if (o.kind !== "piecewise") fail("kind", `must be "piecewise"; got ${JSON.stringify(o.kind)}`);
  version(o.version, "version");
  const dim = integer(o.dim, "dim", 1, 1 << 20);
  const outputs = integer(o.outputs, "outputs", 1, 1 << 20);
  if (!Array.isArray(o.centers) || o.centers.length === 0) fail("centers", "must be a non-empty array");
  const centers = (o.centers as unknown[]).map((c, j) => numbers(c, `centers[${j}]`, dim));
  if (!Array.isArray(o.cells) || o.cells.length !== centers.length) {
    fail("cells", `must be an array of ${centers.length} cells (one per centre)`);
  }
  const cells = (o.cells as unknown[]).map((c, j) => {
    const m = readPolynomial(c, `cells[${j}]`);
    if (m.dim !== dim) fail(`cells[${j}].dim`, `must equal dim = ${dim}`);
    if (m.outputs !== outputs) fail(`cells[${j}].outputs`, `must equal outputs = ${outputs}`);
    for (let i = 0; i < dim; i++) {
      if (!Object.is(m.center[i], centers[j]![i])) fail(`cells[${j}].center[${i}]`, `must equal centers[${j}][${i}]`);
    }
    return m;
  });
  return { kind: "piecewise", version: 1, dim, outputs, centers, cells };
}
