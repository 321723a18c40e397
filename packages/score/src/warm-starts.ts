import type { Points } from "@mixdiff/core";
import { assignNearest } from "@mixdiff/polyreg";

/**
 * The paper's Algorithm 2 selection step: greedy max-coverage of `points` (denoised estimates of
 * component means) by balls of radius `radius`. Repeatedly picks the point whose ball covers the most
 * still-uncovered points, removes them, and stops after `maxCenters` picks or once at most
 * `stopFraction` of the points are uncovered. Ties go to the lowest index (deterministic).
 *
 * @param points - `[N, m]` denoised points.
 * @returns centres `[K, m]` (K ≥ 1) and the fraction of points left uncovered.
 * @example
 * ```ts
 * import { greedyCover } from "@mixdiff/score";
 * import { toPoints } from "@mixdiff/core";
 * greedyCover(toPoints([[0], [0.1], [5], [5.1]]), { radius: 1, maxCenters: 10 }).centers.rows; // 2
 * ```
 */
export function greedyCover(
  points: Points,
  o: { radius: number; maxCenters: number; stopFraction?: number },
): { centers: Points; uncovered: number } {
  const { rows: N, cols: m, data } = points;
  const r2 = o.radius * o.radius;
  const stop = Math.floor((o.stopFraction ?? 0) * N);
  const { sx, pos, start, cells, links, boxLo, boxHi } = coverGrid(data, N, m, o.radius);
  const close = (p: number, q: number): boolean => {
    let d = 0;
    for (let c = 0; c < m; c++) {
      const v = sx[p * m + c]! - sx[q * m + c]!;
      d += v * v;
    }
    return d <= r2;
  };
  // The point at position p against a box (`lo`, `hi` from offset `off`): 2 if every point of the box is within the radius
  // of it, 0 if none is, 1 if it must check them (exact: see `coverGrid`).
  const versus = (p: number, lo: Float64Array, hi: Float64Array, off: number): number => {
    let near2 = 0;
    let far2 = 0;
    for (let c = 0; c < m; c++) {
      const v = sx[p * m + c]!;
      const g = Math.max(0, lo[off + c]! - v, v - hi[off + c]!);
      const w = Math.max(v - lo[off + c]!, hi[off + c]! - v);
      near2 += g * g;
      far2 += w * w;
    }
    return near2 > r2 ? 0 : far2 <= r2 ? 2 : 1;
  };
  // counts[p] = number of uncovered points within the radius of the point at position p, itself included, summed
  // over its cell's links: a whole cell where the link (or the point's test against the cell's box) says so, else
  // its points one by one.
  const counts = new Int32Array(N);
  for (let a = 0; a < cells; a++) {
    for (let e = links.start[a]!; e < links.start[a + 1]!; e++) {
      const b = links.cell[e]!;
      const nb = start[b + 1]! - start[b]!;
      for (let p = start[a]!; p < start[a + 1]!; p++) {
        const rel = links.all[e] === 1 ? 2 : versus(p, boxLo, boxHi, b * m);
        if (rel === 2) counts[p] = counts[p]! + nb;
        else if (rel === 1) {
          let k = 0;
          for (let q = start[b]!; q < start[b + 1]!; q++) if (close(p, q)) k++;
          counts[p] = counts[p]! + k;
        }
      }
    }
  }
  // Only uncovered points can be picked (lowest index first among equal counts), so only their counts are kept up
  // to date: a pick covers its neighbours, whose own neighbours then lose one each.
  const covered = new Uint8Array(N); // by position
  const cellOf = new Int32Array(N);
  for (let a = 0; a < cells; a++) cellOf.fill(a, start[a]!, start[a + 1]!);
  let open: Int32Array = Int32Array.from({ length: N }, (_, i) => i); // uncovered points, ascending index
  const fresh: number[] = []; // newly covered positions
  const freshLo = new Float64Array(m);
  const freshHi = new Float64Array(m);
  let left = N;
  const chosen: number[] = [];
  while (left > stop && chosen.length < o.maxCenters) {
    let best = -1;
    let bestCount = 0;
    for (const i of open) {
      const c = counts[pos[i]!]!;
      if (c > bestCount) {
        bestCount = c;
        best = i;
      }
    }
    if (best < 0) break;
    chosen.push(best);
    const pb = pos[best]!;
    const home = cellOf[pb]!;
    covered[pb] = 1;
    fresh.length = 0;
    fresh.push(pb);
    for (let e = links.start[home]!; e < links.start[home + 1]!; e++) {
      const b = links.cell[e]!;
      const rel = links.all[e] === 1 ? 2 : versus(pb, boxLo, boxHi, b * m);
      if (rel === 0) continue;
      for (let q = start[b]!; q < start[b + 1]!; q++) {
        if (covered[q] === 0 && (rel === 2 || close(pb, q))) {
          covered[q] = 1;
          fresh.push(q);
        }
      }
    }
    left -= fresh.length;
    open = open.filter((i) => covered[pos[i]!] === 0);
    if (!(left > stop && chosen.length < o.maxCenters)) break;
    // Each newly covered point takes one from the count of every uncovered point within the radius of it: per cell
    // of new points, every uncovered point of a linked cell is tested against the box of those new points.
    fresh.sort((p, q) => p - q);
    for (let f = 0; f < fresh.length; ) {
      const a = cellOf[fresh[f]!]!;
      let g = f;
      freshLo.fill(Infinity);
      freshHi.fill(-Infinity);
      for (; g < fresh.length && cellOf[fresh[g]!] === a; g++) {
        for (let c = 0; c < m; c++) {
          const v = sx[fresh[g]! * m + c]!;
          if (v < freshLo[c]!) freshLo[c] = v;
          if (v > freshHi[c]!) freshHi[c] = v;
        }
      }
      const na = g - f;
      for (let e = links.start[a]!; e < links.start[a + 1]!; e++) {
        const b = links.cell[e]!;
        for (let q = start[b]!; q < start[b + 1]!; q++) {
          if (covered[q] === 1) continue;
          const rel = links.all[e] === 1 ? 2 : versus(q, freshLo, freshHi, 0);
          if (rel === 2) counts[q] = counts[q]! - na;
          else if (rel === 1) for (let h = f; h < g; h++) if (close(fresh[h]!, q)) counts[q] = counts[q]! - 1;
        }
      }
      f = g;
    }
  }
  const centers = new Float64Array(Math.max(1, chosen.length) * m);
  chosen.forEach((idx, k) => {
    for (let c = 0; c < m; c++) centers[k * m + c] = data[idx * m + c]!;
  });
  return { centers: { data: centers, rows: Math.max(1, chosen.length), cols: m }, uncovered: N > 0 ? left / N : 0 };
}

/** Relative margin of the sweep's cut-off: far above the rounding of the cell indices. */
const CELL_MARGIN = 1e-6;
/** Cells per coordinate at most: the cell index of a coordinate is then exact to ~1e-10 of a cell. */
const MAX_CELLS = 1e6;

/**
 * The points of `greedyCover` on a grid (internal): cells of side about `r/(2√m)` (larger only when the data span over
 * 10⁶ of them), the points sorted by cell (contiguous `sx`, cell a at positions `start[a]…start[a+1]`), and per cell
 * its links — the cells (itself included) whose boxes of points can hold a pair within the radius, with `all = 1`
 * where every pair of the two is within it. A partial link's pairs are checked one by one, so the counts are exactly
 * those of all N² checks.
 */
function coverGrid(data: Float64Array, N: number, m: number, radius: number) {
  const lo = new Float64Array(m).fill(Infinity);
  const hi = new Float64Array(m).fill(-Infinity);
  for (let i = 0; i < N; i++) {
    for (let c = 0; c < m; c++) {
      const v = data[i * m + c]!;
      if (v < lo[c]!) lo[c] = v;
      if (v > hi[c]!) hi[c] = v;
    }
  }
  let span = 0;
  let axis = 0;
  for (let c = 0; c < m; c++) {
    if (hi[c]! - lo[c]! > span) {
      span = hi[c]! - lo[c]!;
      axis = c;
    }
  }
  const side = Math.max(radius / (2 * Math.sqrt(m)), span / MAX_CELLS) || 1;
  const key = new Float64Array(N * m);
  for (let i = 0; i < N; i++) {
    for (let c = 0; c < m; c++) key[i * m + c] = Math.floor((data[i * m + c]! - lo[c]!) / side);
  }
  // Sorted by cell, the widest coordinate first (so that the links are found by a sweep), then by index.
  const order = Int32Array.from({ length: N }, (_, i) => i).sort((a, b) => {
    const d = key[a * m + axis]! - key[b * m + axis]!;
    if (d !== 0) return d;
    for (let c = 0; c < m; c++) {
      const e = key[a * m + c]! - key[b * m + c]!;
      if (e !== 0) return e;
    }
    return a - b;
  });
  const sx = new Float64Array(N * m);
  const pos = new Int32Array(N);
  const starts: number[] = [];
  const cellKey: number[] = [];
  for (let p = 0; p < N; p++) {
    const i = order[p]!;
    pos[i] = p;
    for (let c = 0; c < m; c++) sx[p * m + c] = data[i * m + c]!;
    let same = p > 0;
    for (let c = 0; same && c < m; c++) same = key[i * m + c] === key[order[p - 1]! * m + c];
    if (!same) {
      starts.push(p);
      for (let c = 0; c < m; c++) cellKey.push(key[i * m + c]!);
    }
  }
  const cells = starts.length;
  starts.push(N);
  // Each cell's box: every coordinate's least and greatest value among its points.
  const boxLo = new Float64Array(cells * m).fill(Infinity);
  const boxHi = new Float64Array(cells * m).fill(-Infinity);
  for (let a = 0; a < cells; a++) {
    for (let p = starts[a]!; p < starts[a + 1]!; p++) {
      for (let c = 0; c < m; c++) {
        const v = sx[p * m + c]!;
        if (v < boxLo[a * m + c]!) boxLo[a * m + c] = v;
        if (v > boxHi[a * m + c]!) boxHi[a * m + c] = v;
      }
    }
  }
  // Links by a sweep over the cells along the axis (cells two or more apart along it are beyond the radius by the
  // margin). Rounding is monotone, so a pair's computed squared distance — coordinates in order, as `close` sums
  // them — lies between the same sums of the two boxes' smallest and largest gaps: a pair of cells whose smallest
  // sum is over r² has no pair within the radius, one whose largest sum is at most r² only such pairs, exactly.
  const r2 = radius * radius;
  const near: number[][] = Array.from({ length: cells }, () => []);
  for (let a = 0; a < cells; a++) {
    for (let b = a; b < cells; b++) {
      const gapAxis = Math.max(0, Math.abs(cellKey[b * m + axis]! - cellKey[a * m + axis]!) - 1) * side;
      if (gapAxis * gapAxis > r2 * (1 + CELL_MARGIN)) break;
      let lo2 = 0;
      let hi2 = 0;
      for (let c = 0; c < m; c++) {
        const aLo = boxLo[a * m + c]!;
        const aHi = boxHi[a * m + c]!;
        const bLo = boxLo[b * m + c]!;
        const bHi = boxHi[b * m + c]!;
        const g = Math.max(0, bLo - aHi, aLo - bHi);
        const w = Math.max(bHi - aLo, aHi - bLo);
        lo2 += g * g;
        hi2 += w * w;
      }
      if (lo2 > r2) continue;
      const all = hi2 <= r2 ? 1 : 0;
      near[a]!.push(b, all);
      if (b !== a) near[b]!.push(a, all);
    }
  }
  const linkStart = new Int32Array(cells + 1);
  for (let a = 0; a < cells; a++) linkStart[a + 1] = linkStart[a]! + near[a]!.length / 2;
  const linkCell = new Int32Array(linkStart[cells]!);
  const linkAll = new Uint8Array(linkStart[cells]!);
  for (let a = 0; a < cells; a++) {
    const list = near[a]!;
    for (let e = 0; e < list.length / 2; e++) {
      linkCell[linkStart[a]! + e] = list[2 * e]!;
      linkAll[linkStart[a]! + e] = list[2 * e + 1]!;
    }
  }
  return {
    sx,
    pos,
    start: Int32Array.from(starts),
    cells,
    links: { start: linkStart, cell: linkCell, all: linkAll },
    boxLo,
    boxHi,
  };
}

/**
 * Index of the nearest centre for every point (ties → lowest index); `out` is reused when given. The
 * learner's one nearest-centre search is `@mixdiff/polyreg`'s `assignNearest`/`nearestRow`; this is its name here.
 *
 * @example
 * ```ts
 * import { nearestCenter } from "@mixdiff/score";
 * import { toPoints } from "@mixdiff/core";
 * nearestCenter(toPoints([[0.2], [4]]), toPoints([[0], [5]])); // Int32Array [0, 1]
 * ```
 */
export const nearestCenter: (x: Points, centers: Points, out?: Int32Array) => Int32Array = assignNearest;

/**
 * A few Lloyd (k-means) steps on `points` from the given `centers`; centres that lose all their
 * points are dropped. Deterministic.
 *
 * @example
 * ```ts
 * import { lloydRefine } from "@mixdiff/score";
 * import { toPoints } from "@mixdiff/core";
 * lloydRefine(toPoints([[0], [1], [9], [10]]), toPoints([[0], [9]]), 3).data; // Float64Array [0.5, 9.5]
 * ```
 */
export function lloydRefine(points: Points, centers: Points, steps: number): Points {
  const m = points.cols;
  let cur = centers;
  const assign = new Int32Array(points.rows);
  for (let s = 0; s < steps; s++) {
    nearestCenter(points, cur, assign);
    const K = cur.rows;
    const sums = new Float64Array(K * m);
    const cnt = new Int32Array(K);
    for (let i = 0; i < points.rows; i++) {
      const k = assign[i]!;
      cnt[k] = cnt[k]! + 1;
      for (let j = 0; j < m; j++) sums[k * m + j] = sums[k * m + j]! + points.data[i * m + j]!;
    }
    const kept: number[] = [];
    for (let k = 0; k < K; k++) if (cnt[k]! > 0) kept.push(k);
    const next = new Float64Array(Math.max(1, kept.length) * m);
    if (kept.length === 0) return cur;
    kept.forEach((k, q) => {
      for (let j = 0; j < m; j++) next[q * m + j] = sums[k * m + j]! / cnt[k]!;
    });
    cur = { data: next, rows: kept.length, cols: m };
  }
  return cur;
}
