import { MixdiffError, type PointsLike, toPoints } from "@mixdiff/core";
import type { BasisKind } from "./bases.js";
import {
  createPiecewiseAccumulator,
  type PiecewiseFinishOptions,
  type PiecewiseModel,
} from "./piecewise-accumulator.js";

/**
 * Fits one polynomial per Voronoi cell of `centers` in one call (a {@link createPiecewiseAccumulator} fed with
 * all rows, then `finish`). Each cell is standardised as `u = (x − center_j)/scale`.
 *
 * @example
 * ```ts
 * import { fitPiecewise, predictPiecewise } from "@mixdiff/polyreg";
 * import { toPoints } from "@mixdiff/core";
 * const xs = Array.from({ length: 200 }, (_, i): [number] => [-1 + i / 100]);
 * const m = fitPiecewise(xs, xs.map(([v]) => [Math.tanh(10 * v)]), { centers: [[-0.5], [0.5]], scale: 0.5, degree: 3 });
 * predictPiecewise(m, toPoints([[0.7]])).data[0]; // ≈ 1
 * ```
 */
export function fitPiecewise(
  xIn: PointsLike,
  zIn: PointsLike,
  o: { centers: PointsLike; scale: number; degree: number; basis?: BasisKind } & PiecewiseFinishOptions,
): PiecewiseModel {
  const fn = "fitPiecewise";
  const x = toPoints(xIn, { name: `${fn}: x` });
  const z = toPoints(zIn, { name: `${fn}: z` });
  const centers = toPoints(o.centers, { name: `${fn}: centers`, expectedCols: x.cols });
  if (z.rows !== x.rows) {
    throw new MixdiffError("DIMENSION_MISMATCH", `${fn}: x has ${x.rows} rows but z has ${z.rows}`, { path: "z" });
  }
  const acc = createPiecewiseAccumulator({
    centers,
    scale: o.scale,
    degree: o.degree,
    outputs: z.cols,
    ...(o.basis ? { basis: o.basis } : {}),
  });
  acc.add(x, z);
  return acc.finish(o);
}
