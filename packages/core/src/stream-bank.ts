import { AleaRng, aleaSeed, type Rng } from "./rng.js";

const TWO_PI = 2 * Math.PI;
/** Per stream: Alea's `c, s0, s1, s2`, the cached second normal and whether it is there. */
const SLOTS = 6;

/**
 * The streams `rng.stream(first + r)` of many rows, for code that draws a few numbers from every row's stream at
 * every step (the samplers: one normal per coordinate, per row, per step).
 *
 * @example
 * ```ts
 * import { createRng, createStreamBank } from "@mixdiff/core";
 * const bank = createStreamBank(createRng(1), 0, 1000);
 * const noise = new Float64Array(1000 * 3);
 * bank.fillRows(noise, 3); // row r: three normals of createRng(1).stream(r)
 * ```
 */
export interface StreamBank {
  readonly rows: number;
  /** Row r's generator (`rng.stream(first + r)`); its draws and `fillRows`' advance the same state. */
  readonly streams: readonly Rng[];
  /** Writes `length` normals of each row's stream to `out[r·length .. (r+1)·length)`, for every row. */
  fillRows(out: Float64Array, length: number): void;
}

/**
 * The streams `rng.stream(first + r)`, r < rows, as one bank: for a generator from `createRng` their states sit
 * side by side in one array, and `fillRows` steps them in one loop — the same numbers as the streams' own
 * `fillNormal` (tested), without a trip through a separate object (and its boxed fields) per row. Any other `Rng`
 * gets a bank of its own streams.
 *
 * @example
 * ```ts
 * import { createRng, createStreamBank } from "@mixdiff/core";
 * const bank = createStreamBank(createRng(1), 10, 2);
 * const out = new Float64Array(4);
 * bank.fillRows(out, 2);
 * out[2] === createRng(1).stream(11).normal(); // true
 * ```
 */
export function createStreamBank(rng: Rng, first: number, rows: number): StreamBank {
  if (!(rng instanceof AleaRng)) {
    const streams = Array.from({ length: rows }, (_, r) => rng.stream(first + r));
    return {
      rows,
      streams,
      fillRows(out, length) {
        for (let r = 0; r < rows; r++) streams[r]!.fillNormal(out, r * length, length);
      },
    };
  }
  const state = new Float64Array(rows * SLOTS);
  const keys: string[] = new Array(rows);
  for (let r = 0; r < rows; r++) {
    keys[r] = `${rng.key}/${first + r}`;
    const st = aleaSeed(keys[r]!);
    state[r * SLOTS] = st.c;
    state[r * SLOTS + 1] = st.s0;
    state[r * SLOTS + 2] = st.s1;
    state[r * SLOTS + 3] = st.s2;
  }
  const streams = keys.map((key, r) => new BankStream(state, r * SLOTS, key));
  return {
    rows,
    streams,
    fillRows(out, length) {
      for (let r = 0; r < rows; r++) fillNormalAt(state, r * SLOTS, out, r * length, length);
    },
  };
}

/**
 * `length` normals of the stream whose state is at `state[o .. o+6)` into `out` from `offset`: AleaRng's `normal()`
 * (Box–Muller, second value cached) with its state in locals, written back at the end.
 */
function fillNormalAt(state: Float64Array, o: number, out: Float64Array, offset: number, length: number): void {
  let c = state[o]!;
  let s0 = state[o + 1]!;
  let s1 = state[o + 2]!;
  let s2 = state[o + 3]!;
  let spare = state[o + 4]!;
  let hasSpare = state[o + 5] === 1;
  const end = offset + length;
  for (let i = offset; i < end; i++) {
    if (hasSpare) {
      hasSpare = false;
      out[i] = spare;
      continue;
    }
    let u1 = 0;
    let u2 = 0;
    for (let draw = 0; draw < 2; ) {
      // uniform(): two of Alea's 32-bit fractions make 53 bits (seedrandom's `prng.double`)
      let t = 2091639 * s0 + c * 2.3283064365386963e-10;
      s0 = s1;
      s1 = s2;
      c = t | 0;
      s2 = t - c;
      const hi = s2;
      t = 2091639 * s0 + c * 2.3283064365386963e-10;
      s0 = s1;
      s1 = s2;
      c = t | 0;
      s2 = t - c;
      const u = hi + ((s2 * 0x200000) | 0) * 1.1102230246251565e-16;
      if (draw === 0) {
        if (u === 0) continue; // u1 is drawn again until it is not 0
        u1 = u;
      } else u2 = u;
      draw++;
    }
    const r = Math.sqrt(-2 * Math.log(u1));
    const a = TWO_PI * u2;
    spare = r * Math.sin(a);
    hasSpare = true;
    out[i] = r * Math.cos(a);
  }
  state[o] = c;
  state[o + 1] = s0;
  state[o + 2] = s1;
  state[o + 3] = s2;
  state[o + 4] = spare;
  state[o + 5] = hasSpare ? 1 : 0;
}

/** One row of a bank as an `Rng`: its draws read and advance the bank's state for the row. */
class BankStream implements Rng {
  private readonly one = new Float64Array(1);
  constructor(
    private readonly state: Float64Array,
    private readonly o: number,
    readonly key: string,
  ) {}
  uniform(): number {
    const st = this.state;
    const o = this.o;
    let t = 2091639 * st[o + 1]! + st[o]! * 2.3283064365386963e-10;
    st[o + 1] = st[o + 2]!;
    st[o + 2] = st[o + 3]!;
    st[o] = t | 0;
    st[o + 3] = t - st[o]!;
    const hi = st[o + 3]!;
    t = 2091639 * st[o + 1]! + st[o]! * 2.3283064365386963e-10;
    st[o + 1] = st[o + 2]!;
    st[o + 2] = st[o + 3]!;
    st[o] = t | 0;
    st[o + 3] = t - st[o]!;
    return hi + ((st[o + 3]! * 0x200000) | 0) * 1.1102230246251565e-16;
  }
  normal(): number {
    fillNormalAt(this.state, this.o, this.one, 0, 1);
    return this.one[0]!;
  }
  fillNormal(out: Float64Array, offset = 0, length = out.length - offset): void {
    fillNormalAt(this.state, this.o, out, offset, length);
  }
  stream(...keys: readonly (number | string)[]): Rng {
    return new AleaRng(this.key).stream(...keys);
  }
}
