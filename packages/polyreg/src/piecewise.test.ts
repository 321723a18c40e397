import { createRng, isMixdiffError, type Points, pointsFrom, sliceRows } from "@mixdiff/core";
import { expectClose } from "@mixdiff/test-utils";
import { describe, expect, test } from "vitest";
import { assignNearest } from "./assign-nearest.js";
import { divergencePiecewise } from "./divergence-piecewise.js";
import { fitPiecewise } from "./fit-piecewise.js";
import { fitPolynomial } from "./fit-polynomial.js";
import { jacobianPiecewise } from "./jacobian-piecewise.js";
import { createPiecewiseAccumulator, piecewiseAccumulatorFromState } from "./piecewise-accumulator.js";
import { piecewiseFromJSON } from "./piecewise-from-json.js";
import { predictPiecewise } from "./predict-piecewise.js";
import { predictPolynomial } from "./predict-polynomial.js";

/** The host's structured clone (Node ≥ 17, browsers), which worker postMessage uses; not in lib ES2022. */
declare const structuredClone: <T>(v: T) => T;

function grid1d(n: number, lo: number, hi: number): Points {
  return pointsFrom(
    Float64Array.from({ length: n }, (_, i) => lo + ((hi - lo) * (i + 0.5)) / n),
    1,
  );
}

function normals(n: number, m: number, seed: string): Points {
  const d = new Float64Array(n * m);
  createRng(seed).fillNormal(d);
  return pointsFrom(d, m);
}

describe("assignNearest", () => {
  test("nearest centre, ties to the lowest index", () => {
    const centers = pointsFrom(new Float64Array([0, 0, 2, 0, 0, 2]), 2);
    const x = pointsFrom(new Float64Array([1, 0, 0.1, 0.1, 1.9, 0.2, 1, 1, 0, 3]), 2);
    expect(Array.from(assignNearest(x, centers))).toEqual([0, 0, 1, 0, 2]);
    expect(() => assignNearest(x, pointsFrom(new Float64Array(3), 3))).toThrow(/columns/);
  });
});

describe("piecewise regression", () => {
  test("two cells beat one global polynomial of the same degree on tanh(10x)", () => {
    const x = grid1d(2000, -1, 1);
    const z = pointsFrom(
      x.data.map((v) => Math.tanh(10 * v)),
      1,
    );
    const degree = 5;
    const global = fitPolynomial(x, z, { degree, ridge: 0 });
    const piecewise = fitPiecewise(x, z, { centers: [[-0.5], [0.5]], scale: 0.5, degree });
    const xt = grid1d(997, -1, 1);
    const mse = (pred: Points) => {
      let s = 0;
      for (let i = 0; i < xt.rows; i++) s += (pred.data[i]! - Math.tanh(10 * xt.data[i]!)) ** 2;
      return s / xt.rows;
    };
    const eg = mse(predictPolynomial(global, xt));
    const ep = mse(predictPiecewise(piecewise, xt));
    // A degree-5 polynomial cannot follow the jump at 0 (L² error ≳ 1e-2); each half is smooth and
    // nearly constant away from 0, so the cells do much better.
    expect(eg).toBeGreaterThan(1e-2);
    expect(ep).toBeLessThan(eg / 20); // measured: 2.9e-2 vs 1.6e-4 (bench-free check in DESIGN-NOTES)
  });

  test("identical bytes for any chunking of add; cells given or assigned agree", () => {
    const n = 1500;
    const x = normals(n, 2, "pw-x");
    const z = pointsFrom(
      Float64Array.from({ length: n * 2 }, (_, k) => Math.sin(x.data[k]!) + 0.1 * x.data[k ^ 1]!),
      2,
    );
    const centers = pointsFrom(new Float64Array([-1, 0, 1, 0, 0, 1.5]), 2);
    const make = () => createPiecewiseAccumulator({ centers, scale: 1, degree: 3, outputs: 2 });
    const whole = make();
    whole.add(x, z);
    const ref = JSON.stringify(whole.finish());
    const rng = createRng("pw-chunks");
    for (const mode of ["random", "given-cells"] as const) {
      const acc = make();
      let r = 0;
      while (r < n) {
        const e = Math.min(n, r + 1 + Math.floor(rng.uniform() * 300));
        const xs = sliceRows(x, r, e);
        acc.add(xs, sliceRows(z, r, e), mode === "given-cells" ? assignNearest(xs, centers) : undefined);
        r = e;
      }
      expect(JSON.stringify(acc.finish())).toBe(ref);
    }
    // merging fixed shards in a fixed order is deterministic, whatever the chunking inside each shard,
    // also when shards travel as structured-cloneable state (worker transfer)
    const shards = (chunk: number, viaState: boolean) => {
      const total = make();
      for (let s = 0; s < 3; s++) {
        const a = make();
        for (let r = s * 500; r < (s + 1) * 500; r += chunk) {
          const e = Math.min((s + 1) * 500, r + chunk);
          a.add(sliceRows(x, r, e), sliceRows(z, r, e));
        }
        total.merge(viaState ? piecewiseAccumulatorFromState(structuredClone(a.state())) : a);
      }
      return JSON.stringify(total.finish());
    };
    const sharded = shards(500, false);
    expect(shards(37, true)).toBe(sharded);
    // and it is the same regression as one stream, to rounding
    const one = whole.finish();
    const many = JSON.parse(sharded) as typeof one;
    for (let j = 0; j < 3; j++) {
      one.cells[j]!.coefficients.forEach((c, i) => {
        expectClose(many.cells[j]!.coefficients[i]!, c, { abs: 5e-10 });
      });
    }
    expect(Array.from(whole.counts).reduce((a, b) => a + b, 0)).toBe(n);
  });

  test("a sparse cell drops degree, an empty cell falls back to its centre (or emptyCell)", () => {
    const x = normals(400, 1, "sparse");
    for (let i = 0; i < 8; i++) x.data[i] = 10 + 0.1 * i; // 8 rows near 10
    const z = pointsFrom(
      x.data.map((v) => 2 * v),
      1,
    );
    const centers = pointsFrom(new Float64Array([0, 10, 50]), 1);
    const acc = createPiecewiseAccumulator({ centers, scale: 1, degree: 4, outputs: 1 });
    acc.add(x, z);
    const m = acc.finish();
    expect(m.cells[0]!.degree).toBe(4); // 392 rows ≥ 5·5
    expect(m.cells[1]!.degree).toBe(0); // 8 rows < 5·2 → degree 0, the mean
    expectClose(m.cells[1]!.coefficients[0]!, 2 * (10 + 0.35), { abs: 5e-13 });
    expect(m.cells[2]!.rows).toBe(0);
    expect(m.cells[2]!.coefficients).toEqual([50]); // outputs === dim: the centre
    expect(predictPiecewise(m, pointsFrom(new Float64Array([49]), 1)).data[0]).toBe(50);
    const m2 = acc.finish({ emptyCell: () => [7], minRowsPerFeature: 1 });
    expect(m2.cells[2]!.coefficients).toEqual([7]);
    expect(m2.cells[1]!.degree).toBe(4); // 8 rows ≥ 1·5
  });

  test("Jacobian and divergence match finite differences inside a cell", () => {
    const x = normals(3000, 2, "pw-jac");
    const f = (a: number, b: number) => [Math.tanh(a) + 0.2 * b * b, a * b];
    const z = pointsFrom(
      Float64Array.from({ length: x.rows * 2 }, (_, k) => f(x.data[k & ~1]!, x.data[k | 1]!)[k & 1]!),
      2,
    );
    const m = fitPiecewise(x, z, {
      centers: [
        [-1, 0],
        [1, 0],
      ],
      scale: 1,
      degree: 3,
      ridge: 1e-8,
    });
    const pts = pointsFrom(new Float64Array([-1.2, 0.3, 0.8, -0.4]), 2);
    const J = jacobianPiecewise(m, pts);
    const div = divergencePiecewise(m, pts);
    const h = 1e-6;
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) {
        const p = pts.data.slice(i * 2, i * 2 + 2);
        const mm = p.slice();
        p[j]! += h;
        mm[j]! -= h;
        const fp = predictPiecewise(m, pointsFrom(p, 2)).data;
        const fm = predictPiecewise(m, pointsFrom(mm, 2)).data;
        for (let o = 0; o < 2; o++) expectClose(J[i * 4 + o * 2 + j]!, (fp[o]! - fm[o]!) / (2 * h), { abs: 1e-7 });
      }
      expectClose(div[i]!, J[i * 4]! + J[i * 4 + 3]!, { abs: 5e-15 });
    }
  });

  test("JSON round trip is bit-exact; the reader names bad fields", () => {
    const x = normals(500, 2, "pw-json");
    const z = pointsFrom(
      x.data.map((v) => v * v),
      2,
    );
    const m = fitPiecewise(x, z, {
      centers: [
        [-1, -1],
        [1, 1],
        [9, 9],
      ],
      scale: 0.7,
      degree: 2,
    });
    const back = piecewiseFromJSON(JSON.parse(JSON.stringify(m)));
    expect(back).toEqual(m);
    expect(Array.from(predictPiecewise(back, x).data)).toEqual(Array.from(predictPiecewise(m, x).data));
    const json = JSON.parse(JSON.stringify(m));
    json.cells[1].coefficients[3] = "x";
    let caught: unknown;
    try {
      piecewiseFromJSON(json);
    } catch (e) {
      caught = e;
    }
    expect(isMixdiffError(caught, "MODEL_FORMAT")).toBe(true);
    expect((caught as { location: { path: string } }).location.path).toBe("cells[1].coefficients[3]");
    const j2 = JSON.parse(JSON.stringify(m));
    j2.cells.pop();
    expect(() => piecewiseFromJSON(j2)).toThrow(/cells/);
    expect(() => piecewiseFromJSON({ ...JSON.parse(JSON.stringify(m)), version: 3 })).toThrow(/version/);
  });

  test("accumulator validation", () => {
    const centers = pointsFrom(new Float64Array([0, 1]), 1);
    const acc = createPiecewiseAccumulator({ centers, scale: 1, degree: 1, outputs: 1 });
    expect(() => acc.add(pointsFrom(new Float64Array(2), 1), pointsFrom(new Float64Array(3), 1))).toThrow(/rows/);
    expect(() =>
      acc.add(pointsFrom(new Float64Array(2), 1), pointsFrom(new Float64Array(2), 1), Int32Array.from([0, 5])),
    ).toThrow(/cells\[1\]/);
    const other = createPiecewiseAccumulator({ centers, scale: 2, degree: 1, outputs: 1 });
    expect(() => acc.merge(other)).toThrow(/differ/);
    expect(() => createPiecewiseAccumulator({ centers, scale: 0, degree: 1, outputs: 1 })).toThrow(/scale/);
  });
});
