import { createRng, isMixdiffError } from "@mixdiff/core";
import { describe, expect, expectTypeOf, it } from "vitest";
import { createDistribution } from "./create-distribution.js";
import type { AtomsSpec } from "./mixing/atoms.js";
import type { BallsSpec } from "./mixing/balls.js";
import type { CircleSpec } from "./mixing/circle.js";
import type { PolylineSpec } from "./mixing/polyline.js";
import type { SphereSpec } from "./mixing/sphere.js";
import type { MixingFamily, MixingSketch, MixingSpec } from "./mixing-distribution.js";
import { type MixingKind, mixingFamilies } from "./mixing-families.js";
import { parseSpec } from "./parse-spec.js";

/**
 * The registry contract: every family in `mixingFamilies` runs through these checks on its own `example`,
 * so a new family cannot skip them.
 */
const entries = Object.entries(mixingFamilies) as [MixingKind, MixingFamily<MixingSpec>][];

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return isMixdiffError(e) ? e.code : "not a MixdiffError";
  }
  return undefined;
}

const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));

it("MixingSpec is the union of the registered families' spec types", () => {
  expectTypeOf<AtomsSpec | BallsSpec | CircleSpec | SphereSpec | PolylineSpec>().toExtend<MixingSpec>(); // and any new family's
  expectTypeOf<MixingKind>().toEqualTypeOf<MixingSpec["kind"]>();
});

describe.each(entries)("mixing family %s", (kind, family) => {
  const { dim, spec } = family.example;
  const json = () => JSON.parse(JSON.stringify({ dim, noiseStd: 1, mixing: spec }));

  it("is registered under its own kind and its example parses to itself, also after toSpec", () => {
    expect(family.kind).toBe(kind);
    expect(spec.kind).toBe(kind);
    const parsed = parseSpec(json());
    expect(parsed.mixing).toEqual(family.parse(JSON.parse(JSON.stringify(spec)), "mixing", dim));
    const q0 = createDistribution(parsed).mixing;
    expect(q0.kind).toBe(kind);
    expect(q0.dim).toBe(dim);
    expect(parseSpec({ dim, noiseStd: 1, mixing: q0.toSpec() })).toEqual(parsed);
  });

  it("refuses a non-object and an unknown field with INVALID_SPEC naming the path", () => {
    expect(codeOf(() => family.parse(42, "mixing", dim))).toBe("INVALID_SPEC");
    let path: unknown;
    try {
      family.parse({ ...spec, bogus: 1 }, "mixing", dim);
    } catch (e) {
      path = isMixdiffError(e) ? e.location.path : e;
    }
    expect(path).toBe("mixing.bogus");
  });

  it("samples inside its support radius, with the stated mean (within 5 standard errors)", () => {
    const q0 = createDistribution(json()).mixing;
    const n = 4000;
    const rng = createRng(11).stream(kind);
    const out = new Float64Array(n * dim);
    const r = q0.supportRadius();
    for (let i = 0; i < n; i++) {
      q0.sampleInto(out, i * dim, rng);
      expect(norm(out.subarray(i * dim, (i + 1) * dim))).toBeLessThanOrEqual(r * (1 + 1e-12));
    }
    const mean = q0.mean();
    // per-coordinate variance ≤ E|μ − Eμ|² = E|μ|² − |Eμ|²; a 5-SE band fails with probability < 1e-5 per coordinate
    const totalVar = q0.secondMoment() - norm(mean) ** 2;
    expect(totalVar).toBeGreaterThanOrEqual(-1e-9 * q0.secondMoment());
    for (let d = 0; d < dim; d++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += out[i * dim + d]!;
      expect(Math.abs(s / n - mean[d]!)).toBeLessThanOrEqual(5 * Math.sqrt(Math.max(totalVar, 0) / n) + 1e-12);
    }
  });

  it("has a finite log-density whose gradient is Tweedie's (E[μ | y] − y)/s2, and a posterior mean in the support ball", () => {
    const q0 = createDistribution(json()).mixing;
    const rng = createRng(5).stream(kind, "points");
    const s2 = 0.7;
    const m = new Float64Array(dim);
    const scratch = new Float64Array(dim);
    for (let k = 0; k < 5; k++) {
      const y = new Float64Array(dim);
      q0.sampleInto(y, 0, rng);
      for (let d = 0; d < dim; d++) y[d] = y[d]! + rng.normal();
      const lp = q0.logDensityAndPosteriorMean(y, s2, m);
      expect(Number.isFinite(lp)).toBe(true);
      expect(norm(m)).toBeLessThanOrEqual(q0.supportRadius() * (1 + 1e-9));
      // central differences, h = 1e-4: truncation O(h²·∂³ln p) ≈ 1e-8·(1/s2)^{3/2}·O(R), far below 1e-5
      const h = 1e-4;
      for (let d = 0; d < dim; d++) {
        const yp = Float64Array.from(y);
        const ym = Float64Array.from(y);
        yp[d] = y[d]! + h;
        ym[d] = y[d]! - h;
        const fd =
          (q0.logDensityAndPosteriorMean(yp, s2, scratch) - q0.logDensityAndPosteriorMean(ym, s2, scratch)) / (2 * h);
        const tweedie = (m[d]! - y[d]!) / s2;
        expect(Math.abs(fd - tweedie)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(tweedie)));
      }
    }
  });

  it("sketches its support with finite coordinates inside the support ball", () => {
    const parsed = parseSpec(json()).mixing as never;
    const sketch: MixingSketch = family.sketch(parsed);
    const r = createDistribution(json()).mixing.supportRadius();
    const points: [number, number][] = [
      ...(sketch.markers ?? []),
      ...(sketch.paths ?? []).flat(),
      ...(sketch.rings ?? []).map((c) => c.center),
      ...(sketch.discs ?? []).map((c) => c.center),
    ];
    expect(points.length).toBeGreaterThan(0);
    for (const p of points) {
      expect(p).toHaveLength(2);
      expect(p.every(Number.isFinite)).toBe(true);
      // a projection onto two coordinates shortens vectors
      expect(Math.hypot(p[0], p[1])).toBeLessThanOrEqual(r * (1 + 1e-12));
    }
    for (const c of [...(sketch.rings ?? []), ...(sketch.discs ?? [])]) {
      expect(c.radius > 0 && Number.isFinite(c.radius)).toBe(true);
    }
    for (const path of sketch.paths ?? []) expect(path.length).toBeGreaterThanOrEqual(2);
    const k = family.emComponents(parsed);
    expect(Number.isInteger(k) && k >= 1).toBe(true);
  });
});

describe("sketches of the 2-D families (what the docs playground draws)", () => {
  it("atoms: a marker per point; polyline: one path; circle: one ring; balls: a disc per ball", () => {
    const pts: number[][] = [
      [-1, 2],
      [3, 4],
    ];
    expect(mixingFamilies.atoms.sketch({ kind: "atoms", points: pts })).toEqual({ markers: pts });
    expect(mixingFamilies.polyline.sketch({ kind: "polyline", points: pts })).toEqual({ paths: [pts] });
    expect(mixingFamilies.circle.sketch({ kind: "circle", center: [1, 2], radius: 3 })).toEqual({
      rings: [{ center: [1, 2], radius: 3 }],
    });
    expect(mixingFamilies.balls.sketch({ kind: "balls", centers: pts, radius: 0.5 })).toEqual({
      discs: pts.map((c) => ({ center: c, radius: 0.5 })),
    });
  });

  it("sphere: a ring in the plane, two markers for a 0-sphere, a projected great circle in 3-D", () => {
    const sphere = mixingFamilies.sphere;
    const plane = sphere.sketch({
      kind: "sphere",
      center: [1, 1],
      radius: 2,
      axes: [
        [1, 0],
        [0, 1],
      ],
    });
    expect(plane).toEqual({ rings: [{ center: [1, 1], radius: 2 }] });
    const pair = sphere.sketch({ kind: "sphere", center: [0, 0], radius: 2, axes: [[0, 1]] });
    expect(pair).toEqual({
      markers: [
        [0, -2],
        [0, 2],
      ],
    });
    const tilted = sphere.sketch({
      kind: "sphere",
      center: [0, 0, 0],
      radius: 1,
      axes: [
        [1, 0, 0],
        [0, 0, 1],
      ],
    });
    // the great circle in the x–z plane projects onto the segment [−1, 1] of the x axis
    for (const [x, y] of tilted.paths?.[0] ?? []) {
      expect(Math.abs(x)).toBeLessThanOrEqual(1 + 1e-15);
      expect(y).toBe(0);
    }
  });

  it("emComponents: the atom count, two per ball, else 8", () => {
    expect(mixingFamilies.atoms.emComponents({ kind: "atoms", points: [[0], [1], [2]] })).toBe(3);
    expect(mixingFamilies.balls.emComponents({ kind: "balls", centers: [[0], [4]], radius: 1 })).toBe(4);
    expect(mixingFamilies.circle.emComponents({ kind: "circle", center: [0, 0], radius: 1 })).toBe(8);
  });
});
