/**
 * The playground's per-spec helpers come from the mixing-family registry (`mixingFamilies[kind].sketch` and
 * `.emComponents`): the windows, EM sizes and overlays of the five presets, worked out by hand from their specs.
 */
import { mixingFamilies } from "@mixdiff/mixtures";
import { describe, expect, test } from "vitest";
import { defaultEmComponents, presets, sketchFor, viewFor } from "../.vitepress/theme/lib/presets";

describe("presets", () => {
  test.each([
    // bounding box of the support, half its larger side + 3.5 σ0 (σ0 = 1 for all five)
    ["gmm2d", [0, 2.5], 4 + 3.5, 3], // atoms x ∈ [−4, 4], y ∈ [0, 5]
    ["gmm2d-overlap", [1.25, 1.1], 1.25 + 3.5, 3], // atoms x ∈ [0, 2.5], y ∈ [0, 2.2]
    ["circle2d", [0, 0], 5 + 3.5, 8], // circle of radius 5 at 0
    ["polyline2d", [0, 0.5], 6 + 3.5, 8], // vertices x ∈ [−6, 6], y ∈ [−3, 4]
    ["disks2d", [0, 0], 5.5 + 3.5, 4], // discs of radius 1.5 at (±4, 0): x ∈ [−5.5, 5.5]; two components per disc
  ] as const)("%s: view %j ± %d, %d EM components", (name, center, halfWidth, k) => {
    const spec = presets[name].spec;
    const v = viewFor(spec);
    expect(v.center[0]).toBeCloseTo(center[0], 12);
    expect(v.center[1]).toBeCloseTo(center[1], 12);
    expect(v.halfWidth).toBeCloseTo(halfWidth, 12);
    expect(defaultEmComponents(spec)).toBe(k);
  });

  test("every preset gets an overlay, and it is its family's sketch", () => {
    for (const { spec } of Object.values(presets)) {
      const sk = sketchFor(spec);
      const drawn = [sk.markers, sk.paths, sk.rings, sk.discs].filter((x) => x && x.length > 0);
      expect(drawn.length).toBeGreaterThan(0);
      expect(spec.mixing.kind in mixingFamilies).toBe(true);
    }
    expect(sketchFor(presets.gmm2d.spec)).toEqual({ markers: presets.gmm2d.spec.mixing.points });
  });

  test("an unknown kind gets no overlay, the default window and 8 components", () => {
    const spec = { dim: 2, noiseStd: 1, mixing: { kind: "not-a-family" } };
    expect(sketchFor(spec)).toEqual({});
    expect(viewFor(spec)).toEqual({ center: [0, 0], halfWidth: 10 });
    expect(defaultEmComponents(spec)).toBe(8);
  });
});
