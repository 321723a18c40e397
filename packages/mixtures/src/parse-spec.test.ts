import { describe, expect, it } from "vitest";
import circle2d from "../../../test-fixtures/eval/cases/circle2d.json";
import disks2d from "../../../test-fixtures/eval/cases/disks2d.json";
import gmm2d from "../../../test-fixtures/eval/cases/gmm2d.json";
import gmm2dOverlap from "../../../test-fixtures/eval/cases/gmm2d-overlap.json";
import gmm10d from "../../../test-fixtures/eval/cases/gmm10d.json";
import polyline2d from "../../../test-fixtures/eval/cases/polyline2d.json";
import { createDistribution } from "./create-distribution.js";
import { gaussianMixture } from "./gaussian-mixture.js";
import { mixingFamilies } from "./mixing-families.js";
import { parseSpec } from "./parse-spec.js";

const CASES = { gmm2d, "gmm2d-overlap": gmm2dOverlap, gmm10d, circle2d, polyline2d, disks2d };

describe("parseSpec", () => {
  it.each(Object.entries(CASES))("accepts test-fixtures/eval/cases/%s.json as it is and round-trips", (_n, spec) => {
    const parsed = parseSpec(JSON.parse(JSON.stringify(spec)));
    expect(parsed).toEqual(spec);
    expect(parseSpec(JSON.parse(JSON.stringify(createDistribution(spec).toSpec())))).toEqual(parsed);
  });

  it("registers every family under its own kind", () => {
    expect(Object.keys(mixingFamilies).length).toBeGreaterThanOrEqual(5);
    for (const [k, f] of Object.entries(mixingFamilies)) expect(f.kind).toBe(k);
  });

  it("fills uniform weights and keeps the optional name optional", () => {
    const s = parseSpec({ dim: 1, noiseStd: 2, mixing: { kind: "atoms", points: [[0], [1], [2], [3]] } });
    expect(s).toEqual({
      dim: 1,
      noiseStd: 2,
      mixing: { kind: "atoms", points: [[0], [1], [2], [3]], weights: [0.25, 0.25, 0.25, 0.25] },
    });
  });

  const base = () => JSON.parse(JSON.stringify(gmm2d));
  // biome-ignore lint/suspicious/noExplicitAny: tests poke arbitrary (wrong) values into the JSON
  const mutate = (f: (s: Record<string, any>) => void) => {
    const s = base();
    f(s);
    return s;
  };
  it.each([
    ["not an object", 42, "spec"],
    [
      "a typo'd field",
      mutate((s) => {
        s.noisestd = 1;
      }),
      "noisestd",
    ],
    [
      "dim 0",
      mutate((s) => {
        s.dim = 0;
      }),
      "dim",
    ],
    [
      "fractional dim",
      mutate((s) => {
        s.dim = 2.5;
      }),
      "dim",
    ],
    [
      "noiseStd 0",
      mutate((s) => {
        s.noiseStd = 0;
      }),
      "noiseStd",
    ],
    // issue 18: parsed, then every density/score failed with an INVALID_OPTION about t (σ0² underflows to 0)
    [
      "noiseStd 1e-300",
      mutate((s) => {
        s.noiseStd = 1e-300;
      }),
      "noiseStd",
    ],
    [
      "noiseStd 1e200",
      mutate((s) => {
        s.noiseStd = 1e200;
      }),
      "noiseStd",
    ],
    [
      "numeric name",
      mutate((s) => {
        s.name = 3;
      }),
      "name",
    ],
    [
      "missing mixing",
      mutate((s) => {
        delete s.mixing;
      }),
      "mixing",
    ],
    [
      "unknown kind",
      mutate((s) => {
        s.mixing.kind = "gaussian";
      }),
      "mixing.kind",
    ],
    [
      "a string coordinate",
      mutate((s) => {
        s.mixing.points[2][1] = "x";
      }),
      "mixing.points[2][1]",
    ],
    [
      "a NaN coordinate",
      mutate((s) => {
        s.mixing.points[1][0] = Number.NaN;
      }),
      "mixing.points[1][0]",
    ],
    [
      "a short point",
      mutate((s) => {
        s.mixing.points[1] = [1];
      }),
      "mixing.points[1]",
    ],
    [
      "empty points",
      mutate((s) => {
        s.mixing.points = [];
      }),
      "mixing.points",
    ],
    [
      "weights of wrong length",
      mutate((s) => {
        s.mixing.weights = [0.5, 0.5];
      }),
      "mixing.weights",
    ],
    [
      "weights not summing to 1",
      mutate((s) => {
        s.mixing.weights = [0.5, 0.5, 0.5];
      }),
      "mixing.weights",
    ],
    [
      "a negative weight",
      mutate((s) => {
        s.mixing.weights = [1.2, -0.2, 0];
      }),
      "mixing.weights[1]",
    ],
    [
      "an extra mixing field",
      mutate((s) => {
        s.mixing.radius = 1;
      }),
      "mixing.radius",
    ],
    ["a 3-D circle", { dim: 3, noiseStd: 1, mixing: { kind: "circle", center: [0, 0, 0], radius: 1 } }, "mixing"],
    [
      "a negative radius",
      { dim: 2, noiseStd: 1, mixing: { kind: "circle", center: [0, 0], radius: -1 } },
      "mixing.radius",
    ],
    [
      "non-orthogonal axes",
      {
        dim: 3,
        noiseStd: 1,
        mixing: {
          kind: "sphere",
          center: [0, 0, 0],
          radius: 1,
          axes: [
            [1, 0, 0],
            [0.6, 0.8, 0],
          ],
        },
      },
      "mixing.axes",
    ],
    [
      "a non-unit axis",
      {
        dim: 3,
        noiseStd: 1,
        mixing: {
          kind: "sphere",
          center: [0, 0, 0],
          radius: 1,
          axes: [
            [1, 0, 0],
            [0, 2, 0],
          ],
        },
      },
      "mixing.axes[1]",
    ],
    ["a one-vertex polyline", { dim: 2, noiseStd: 1, mixing: { kind: "polyline", points: [[0, 0]] } }, "mixing.points"],
    [
      "a zero-length polyline",
      {
        dim: 2,
        noiseStd: 1,
        mixing: {
          kind: "polyline",
          points: [
            [1, 1],
            [1, 1],
          ],
        },
      },
      "mixing.points",
    ],
    [
      "ball centres of wrong width",
      { dim: 2, noiseStd: 1, mixing: { kind: "balls", centers: [[0, 0], [1]], radius: 1 } },
      "mixing.centers[1]",
    ],
  ] as [string, unknown, string][])("rejects %s with INVALID_SPEC at the field path", (_what, spec, path) => {
    let err: unknown;
    try {
      parseSpec(spec);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ name: "MixdiffError", code: "INVALID_SPEC", location: { path } });
    expect((err as Error).message.startsWith(`${path}: `)).toBe(true);
  });

  it("createDistribution and gaussianMixture validate too", () => {
    expect(() => createDistribution({ dim: 2 })).toThrow(expect.objectContaining({ code: "INVALID_SPEC" }));
    expect(() =>
      gaussianMixture({
        means: [
          [0, 0],
          [1, Number.POSITIVE_INFINITY],
        ],
      }),
    ).toThrow(expect.objectContaining({ code: "INVALID_SPEC", location: { path: "mixing.points[1][1]" } }));
    expect(gaussianMixture({ means: [[0], [2]], name: "g" }).toSpec()).toEqual({
      name: "g",
      dim: 1,
      noiseStd: 1,
      mixing: { kind: "atoms", points: [[0], [2]], weights: [0.5, 0.5] },
    });
  });
});
