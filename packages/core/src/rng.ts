import seedrandom from "seedrandom";
import { MixdiffError } from "./errors.js";

/** A seed: a non-negative integer or a non-empty string. */
export type Seed = number | string;

/**
 * A seeded random number generator. Every mixdiff function that draws takes one; none uses the unseeded global generator.
 *
 * Child streams (`stream(i, j, …)`) are derived from the generator's *key*, not its state, so
 * `rng.stream(5)` gives the same numbers whatever was drawn from `rng` before, and per-sample
 * streams make results independent of batch size, chunking and worker count.
 */
export interface Rng {
  /** The key this generator was made from (`"<seed>"` or `"<seed>/<k1>/<k2>"`). */
  readonly key: string;
  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number;
  /** A standard normal draw (Box–Muller, second value cached). */
  normal(): number;
  /** Fills `out[offset .. offset+length)` with standard normals. */
  fillNormal(out: Float64Array, offset?: number, length?: number): void;
  /** An independent generator keyed by `keys` under this one's key. */
  stream(...keys: readonly (number | string)[]): Rng;
}

const TWO_PI = 2 * Math.PI;

/** Alea's state as `seedrandom.alea(seed, { state: true }).state()` returns it. */
export interface AleaState {
  c: number;
  s0: number;
  s1: number;
  s2: number;
}

/** The initial Alea state of the generator with key `key` (internal: `AleaRng` and `createStreamBank`). */
export function aleaSeed(key: string): AleaState {
  return seedrandom.alea(`mixdiff|${key}`, { state: true }).state() as AleaState;
}

/**
 * Alea (Baagøe) as seedrandom implements it: seeded by seedrandom's own Mash (`seedrandom.alea(key, { state })`),
 * then stepped here with the same arithmetic, so the draws are bit-identical to `seedrandom.alea(key).double()`
 * (tested) without a closure call per 32-bit word — the samplers draw one normal per coordinate and step (internal;
 * `createRng` makes one).
 */
export class AleaRng implements Rng {
  readonly key: string;
  private c: number;
  private s0: number;
  private s1: number;
  private s2: number;
  private spare = 0;
  private hasSpare = false;
  constructor(key: string) {
    this.key = key;
    const st = aleaSeed(key);
    this.c = st.c;
    this.s0 = st.s0;
    this.s1 = st.s1;
    this.s2 = st.s2;
  }
  /** seedrandom's `Alea.next`: the next 32-bit fraction. */
  private next(): number {
    const t = 2091639 * this.s0 + this.c * 2.3283064365386963e-10; // 2^-32
    this.s0 = this.s1;
    this.s1 = this.s2;
    this.c = t | 0;
    this.s2 = t - this.c;
    return this.s2;
  }
  uniform(): number {
    // seedrandom's `prng.double`: 53 bits from two words.
    return this.next() + ((this.next() * 0x200000) | 0) * 1.1102230246251565e-16; // 2^-53
  }
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u1 = this.uniform();
    while (u1 === 0) u1 = this.uniform();
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    const a = TWO_PI * u2;
    this.spare = r * Math.sin(a);
    this.hasSpare = true;
    return r * Math.cos(a);
  }
  fillNormal(out: Float64Array, offset = 0, length = out.length - offset): void {
    const end = offset + length;
    for (let i = offset; i < end; i++) out[i] = this.normal();
  }
  stream(...keys: readonly (number | string)[]): Rng {
    if (keys.length === 0) throw new MixdiffError("INVALID_OPTION", "Rng.stream: at least one key is required");
    return new AleaRng(`${this.key}/${keys.join("/")}`);
  }
}

function seedKey(seed: Seed, fn: string): string {
  if (typeof seed === "number") {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new MixdiffError(
        "INVALID_OPTION",
        `${fn}: seed must be a non-negative safe integer or a string; got ${seed}`,
        {
          path: "seed",
        },
      );
    }
    return String(seed);
  }
  if (typeof seed !== "string" || seed.length === 0 || seed.includes("/")) {
    throw new MixdiffError("INVALID_OPTION", `${fn}: a string seed must be non-empty and contain no "/"`, {
      path: "seed",
    });
  }
  return seed;
}

/**
 * A generator from a seed (seedrandom's Alea: 53-bit doubles, fast to create, so one per sample is cheap).
 * The same seed gives the same numbers on every machine.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * const rng = createRng(42);
 * const u = rng.uniform(); // in [0, 1)
 * const z = rng.normal();  // N(0, 1)
 * const perSample = rng.stream(7); // independent of how much `rng` has drawn
 * ```
 */
export function createRng(seed: Seed): Rng {
  return new AleaRng(seedKey(seed, "createRng"));
}

/**
 * The generator for stream `keys` under `seed`: equal to `createRng(seed).stream(...keys)`.
 *
 * @example
 * ```ts
 * import { streamRng, createRng } from "@mixdiff/core";
 * streamRng(1, 3).uniform() === createRng(1).stream(3).uniform(); // true
 * ```
 */
export function streamRng(seed: Seed, ...keys: readonly (number | string)[]): Rng {
  return createRng(seed).stream(...keys);
}
