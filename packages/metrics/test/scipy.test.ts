// Independent reference values computed once with numpy/scipy (test/fixtures/scipy/make.py → reference.json).
import { createRng, toPoints } from "@mixdiff/core";
import { describe, expect, test } from "vitest";
import { energyDistance } from "../src/energy-distance.js";
import { histogramTV } from "../src/histogram-tv.js";
import { hungarian } from "../src/hungarian.js";
import { medianHeuristic } from "../src/median-heuristic.js";
import { mmd2 } from "../src/mmd2.js";
import { wasserstein1d } from "../src/wasserstein-1d.js";
import ref from "./fixtures/scipy/reference.json";

describe("agreement with scipy/numpy", () => {
  ref.w1d.forEach((c, i) => {
    test(`wasserstein1d matches scipy.stats.wasserstein_distance (case ${i}, ${c.a.length} vs ${c.b.length})`, () => {
      expect(wasserstein1d(c.a, c.b, { p: 1 })).toBeCloseTo(c.w1, 12);
      if ("w2" in c && typeof c.w2 === "number") expect(wasserstein1d(c.a, c.b, { p: 2 })).toBeCloseTo(c.w2, 12);
    });
  });

  ref.energy1d.forEach((c, i) => {
    test(`√energyDistance (V-statistic) matches scipy.stats.energy_distance (case ${i})`, () => {
      const e = energyDistance(
        c.a.map((v) => [v]),
        c.b.map((v) => [v]),
        { rng: createRng(0), unbiased: false },
      );
      expect(Math.sqrt(e.value)).toBeCloseTo(c.energy, 12);
    });
  });

  ref.mmd.forEach((c, i) => {
    test(`mmd2 matches numpy/cdist, given and median bandwidth (case ${i})`, () => {
      const rng = createRng(0);
      expect(mmd2(c.x, c.y, { rng, bandwidth: c.bandwidth }).value).toBeCloseTo(c.unbiased, 12);
      expect(mmd2(c.x, c.y, { rng, bandwidth: c.bandwidth, unbiased: false }).value).toBeCloseTo(c.biased, 12);
      expect(medianHeuristic(toPoints(c.x), toPoints(c.y), rng)).toBeCloseTo(c.medianBandwidth, 12);
      const r = mmd2(c.x, c.y, { rng });
      expect(r.bandwidth).toBeCloseTo(c.medianBandwidth, 12);
      expect(r.value).toBeCloseTo(c.unbiasedMedian, 12);
    });
  });

  ref.assignment.forEach((c, i) => {
    test(`hungarian total cost matches scipy.optimize.linear_sum_assignment (${c.n} × ${c.m}, case ${i})`, () => {
      const cost = Float64Array.from(c.cost);
      const a = hungarian(cost, c.n, c.m);
      let total = 0;
      for (let r = 0; r < c.n; r++) if (a[r]! >= 0) total += cost[r * c.m + a[r]!]!;
      expect(total).toBeCloseTo(c.total, 9);
    });
  });

  ref.hist.forEach((c, i) => {
    test(`histogramTV matches numpy.histogram2d (case ${i})`, () => {
      const r = histogramTV(c.x, c.y, { bins: c.bins, range: c.range as [number, number][] });
      expect(r.value).toBeCloseTo(c.tv, 12);
      expect(r.details?.outsideX).toBe(0);
    });
  });
});
