const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Stable ascending argsort of Float64 values: LSD radix sort (11 + 11 + 10 bits) on an order-preserving
 * transform of the high 32 bits of each double, then an insertion pass on the exact values (only values equal in
 * their high 32 bits can be out of order). Faster than a comparator sort and exact. The sorter owns its scratch
 * buffers (three `Uint32Array`s of `capacity`), so one instance sorts many arrays without allocating.
 *
 * Order: `-Infinity < … < -0 < +0 < … < +Infinity` (so `-0` sorts before `+0`); equal values keep their input
 * order. NaN is not supported (its position is unspecified).
 *
 * @example
 * ```ts
 * import { ArgSorter } from "@mixdiff/core";
 * const v = new Float64Array([3, -1, 2, -1]);
 * const order = new Uint32Array(v.length);
 * new ArgSorter(v.length).argsort(v, order); // order = [1, 3, 2, 0]
 * ```
 */
export class ArgSorter {
  private readonly keys: Uint32Array;
  private readonly keys2: Uint32Array;
  private readonly tmp: Uint32Array;
  private readonly count = new Uint32Array(2048);
  /** @param capacity the largest array length `argsort` will be given. */
  constructor(capacity: number) {
    this.keys = new Uint32Array(capacity);
    this.keys2 = new Uint32Array(capacity);
    this.tmp = new Uint32Array(capacity);
  }
  /**
   * Writes into `out[0 .. v.length)` the indices of `v` in ascending order of value (stable). `v.length` must be
   * at most the capacity and `out.length` at least `v.length`.
   */
  argsort(v: Float64Array, out: Uint32Array): void {
    const rows = v.length;
    const words = new Uint32Array(v.buffer, v.byteOffset, 2 * rows);
    const hi = LITTLE_ENDIAN ? 1 : 0;
    let ks = this.keys;
    let kd = this.keys2;
    let src = out;
    let dst = this.tmp;
    for (let i = 0; i < rows; i++) {
      const h = words[2 * i + hi]!;
      ks[i] = h & 0x80000000 ? ~h >>> 0 : (h | 0x80000000) >>> 0;
      src[i] = i;
    }
    const count = this.count;
    for (let pass = 0; pass < 3; pass++) {
      const shift = 11 * pass;
      const mask = pass === 2 ? 1023 : 2047;
      count.fill(0);
      for (let i = 0; i < rows; i++) {
        const bucket = (ks[i]! >>> shift) & mask;
        count[bucket] = count[bucket]! + 1;
      }
      let s = 0;
      for (let b = 0; b <= mask; b++) {
        const c = count[b]!;
        count[b] = s;
        s += c;
      }
      for (let i = 0; i < rows; i++) {
        const k = ks[i]!;
        const bucket = (k >>> shift) & mask;
        const at = count[bucket]!;
        count[bucket] = at + 1;
        dst[at] = src[i]!;
        kd[at] = k;
      }
      [src, dst] = [dst, src];
      [ks, kd] = [kd, ks];
    }
    // after 3 passes the order is in `tmp`; copy it to `out`
    if (src !== out) out.set(src.subarray(0, rows));
    for (let i = 1; i < rows; i++) {
      const id = out[i]!;
      const val = v[id]!;
      let j = i - 1;
      while (j >= 0 && v[out[j]!]! > val) {
        out[j + 1] = out[j]!;
        j--;
      }
      out[j + 1] = id;
    }
  }
}
