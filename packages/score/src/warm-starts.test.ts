import { createRng, toPoints } from "@mixdiff/core";
import { describe, expect, test } from "vitest";
import { greedyCover, lloydRefine, nearestCenter } from "./warm-starts.js";

describe("greedyCover (Algorithm 2)", () => {
  test("three tight clusters give three centres and every point is within the radius", () => {
    const rng = createRng(3);
    const means = [
      [-4, 0],
      [4, 0],
      [0, 5],
    ];
    const rows: number[][] = [];
    for (let i = 0; i < 300; i++) {
      const c = means[i % 3]!;
      rows.push([c[0]! + 0.2 * rng.normal(), c[1]! + 0.2 * rng.normal()]);
    }
    const pts = toPoints(rows);
    const { centers, uncovered } = greedyCover(pts, { radius: 1.5, maxCenters: 10 });
    expect(centers.rows).toBe(3);
    expect(uncovered).toBe(0);
    // coverage: |N(0, 0.04 I)| > 1.5 has probability e^{-1.5²/0.08} ≈ 6e-13 per point
    const assign = nearestCenter(pts, centers);
    for (let i = 0; i < pts.rows; i++) {
      const k = assign[i]!;
      const d = Math.hypot(pts.data[2 * i]! - centers.data[2 * k]!, pts.data[2 * i + 1]! - centers.data[2 * k + 1]!);
      expect(d).toBeLessThanOrEqual(1.5);
    }
  });
  test("picks exactly what the textbook greedy cover picks (every count recomputed), on clustered 3-D data", () => {
    const rng = createRng(31);
    for (const [n, radius, maxCenters, stopFraction] of [
      [400, 0.8, 100, 0],
      [400, 0.3, 12, 0],
      [600, 1.5, 100, 0.05],
      [300, 10, 100, 0],
    ] as const) {
      const rows: number[][] = [];
      for (let i = 0; i < n; i++) {
        const c = i % 5;
        rows.push([2 * c + 0.4 * rng.normal(), (c % 2) * 3 + 0.4 * rng.normal(), 0.3 * rng.normal()]);
      }
      // exact duplicates and points exactly one radius apart along the sweep's axis: ties and boundaries
      for (let i = 0; i < 20; i++) rows.push([...rows[i]!]);
      for (let i = 0; i < 10; i++) rows.push([rows[i]![0]! + radius, rows[i]![1]!, rows[i]![2]!]);
      const pts = toPoints(rows);
      const got = greedyCover(pts, { radius, maxCenters, stopFraction });
      const want = textbookCover(rows, radius, maxCenters, stopFraction);
      expect(Array.from(got.centers.data)).toEqual(want.centers.flat());
      expect(got.uncovered).toBe(want.uncovered);
    }
  });
  test("the grid's shortcuts (cell pairs wholly within or beyond the radius) pick what the textbook cover picks", () => {
    const rng = createRng(32);
    const cluster = (n: number, sd: number, centres: number[][]) =>
      Array.from({ length: n }, (_, i) => centres[i % centres.length]!.map((v) => v + sd * rng.normal()));
    const cases: [string, number[][], number, number][] = [
      // every point of a cluster within the radius of every other: whole cells and cell pairs, no pair checked
      [
        "tight 2-D",
        cluster(400, 0.01, [
          [0, 0],
          [3, 0],
          [0, 3],
          [3, 3.5],
        ]),
        1,
        100,
      ],
      ["1-D line, spacing a tenth of the radius", Array.from({ length: 300 }, (_, i) => [0.1 * i]), 1, 100],
      [
        "5-D clusters",
        cluster(300, 0.3, [
          [0, 0, 0, 0, 0],
          [2, 0, 1, 0, 0],
        ]),
        1,
        100,
      ],
      // one far point: over 10⁶ cells of r/√m along x, so the cells grow and no cell is wholly within the radius
      ["span of 2·10⁹ radii", [...cluster(200, 0.2, [[0, 0]]), [1e9, 0], [-1e9, 1]], 0.5, 100],
      ["radius 0, duplicates", Array.from({ length: 90 }, (_, i) => [i % 7, (i * 3) % 5]), 0, 100],
      ["all points equal", Array.from({ length: 50 }, () => [1.5, -2]), 0.3, 100],
      // opposite corners of a cell of side r/√2: just beyond and just within the radius
      [
        "cell corners",
        [
          [0, 0],
          [Math.SQRT1_2 + 5e-5, Math.SQRT1_2 + 5e-5],
          [Math.SQRT1_2 - 1e-5, Math.SQRT1_2 - 1e-5],
          [0, Math.SQRT1_2 - 1e-5],
          [Math.SQRT1_2 - 1e-5, 0],
          [2, 2],
        ],
        1,
        100,
      ],
      [
        "tight clusters, stop fraction",
        cluster(500, 0.05, [
          [0, 0, 0],
          [1, 1, 1],
          [5, 0, 0],
        ]),
        0.8,
        2,
      ],
    ];
    for (const [name, rows, radius, maxCenters] of cases) {
      // points exactly one radius apart along each coordinate, and duplicates
      const m = rows[0]!.length;
      const extra = rows.slice(0, 10).flatMap((r, i) => [[...r], r.map((v, c) => (c === i % m ? v + radius : v))]);
      const all = [...rows, ...extra];
      const got = greedyCover(toPoints(all), { radius, maxCenters, stopFraction: 0 });
      const want = textbookCover(all, radius, maxCenters, 0);
      expect({ name, centers: Array.from(got.centers.data), uncovered: got.uncovered }).toEqual({
        name,
        centers: want.centers.flat(),
        uncovered: want.uncovered,
      });
    }
  });
  test("respects maxCenters and the stop fraction", () => {
    const pts = toPoints(Array.from({ length: 100 }, (_, i) => [i]));
    expect(greedyCover(pts, { radius: 0.5, maxCenters: 7 }).centers.rows).toBe(7);
    const r = greedyCover(pts, { radius: 0.5, maxCenters: 1000, stopFraction: 0.5 });
    expect(r.uncovered).toBeLessThanOrEqual(0.5);
    expect(r.centers.rows).toBeLessThan(100);
  });
  test("a continuous curve is tiled: number of centres grows as the radius shrinks", () => {
    const pts = toPoints(
      Array.from({ length: 600 }, (_, i) => [
        5 * Math.cos((2 * Math.PI * i) / 600),
        5 * Math.sin((2 * Math.PI * i) / 600),
      ]),
    );
    const a = greedyCover(pts, { radius: 2, maxCenters: 1000 }).centers.rows;
    const b = greedyCover(pts, { radius: 0.5, maxCenters: 1000 }).centers.rows;
    // circumference 31.4: a ball of radius r covers an arc ≈ 2r, so ≈ 8 and ≈ 32 centres
    expect(a).toBeGreaterThanOrEqual(7);
    expect(a).toBeLessThanOrEqual(10);
    expect(b).toBeGreaterThanOrEqual(28);
    expect(b).toBeLessThanOrEqual(36);
  });
});

describe("lloydRefine / nearestCenter", () => {
  test("moves centres to cluster means and drops empty ones", () => {
    const r = lloydRefine(toPoints([[0], [1], [9], [10]]), toPoints([[0], [9], [100]]), 3);
    expect(Array.from(r.data)).toEqual([0.5, 9.5]);
  });
  test("ties go to the lowest index", () => {
    expect(Array.from(nearestCenter(toPoints([[0]]), toPoints([[-1], [1]])))).toEqual([0]);
  });
});

/** Greedy max-coverage straight from its definition: every pick recounts the uncovered points of every ball. */
function textbookCover(rows: number[][], radius: number, maxCenters: number, stopFraction: number) {
  const N = rows.length;
  const within = (a: number[], b: number[]) => a.reduce((d, v, c) => d + (v - b[c]!) ** 2, 0) <= radius * radius;
  const covered = new Array<boolean>(N).fill(false);
  const centers: number[][] = [];
  let left = N;
  while (left > Math.floor(stopFraction * N) && centers.length < maxCenters) {
    let best = -1;
    let bestCount = 0;
    for (let i = 0; i < N; i++) {
      if (covered[i]) continue;
      let count = 0;
      for (let j = 0; j < N; j++) if (!covered[j] && within(rows[i]!, rows[j]!)) count++;
      if (count > bestCount) {
        bestCount = count;
        best = i;
      }
    }
    if (best < 0) break;
    centers.push(rows[best]!);
    for (let j = 0; j < N; j++) {
      if (!covered[j] && within(rows[best]!, rows[j]!)) {
        covered[j] = true;
        left--;
      }
    }
  }
  return { centers, uncovered: left / N };
}
