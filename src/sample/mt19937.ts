/**
 * A bit-exact port of the parts of CPython 3.11's `random.Random` (MT19937) that SpaX's
 * `RandomSampler` uses, so a seeded spax sampler draws the same configs as SpaX does.
 *
 * Written from the published algorithm (Matsumoto & Nishimura, 2002 `init_by_array`) and
 * CPython's documented behaviour of `seed`, `random`, `getrandbits`, `randrange`, `choices`
 * and `round`. Speed matters because spax seeds a fresh generator per sampled config:
 * the seed-independent `init_genrand(19650218)` state is computed once, and the twist is
 * done lazily, one state word per output (see {@link PyRandom}).
 * @module
 */

import { SpaxError } from "../errors.js";

const N = 624;
const M = 397;
const TWO_32 = 4294967296;
const TWO_53 = 9007199254740992;

/** `init_genrand(19650218)`: the start of every `init_by_array`, whatever the seed. */
const BASE_STATE: Int32Array = (() => {
  const mt = new Int32Array(N);
  let prev = 19650218;
  mt[0] = prev;
  for (let i = 1; i < N; i++) {
    prev = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) | 0;
    mt[i] = prev;
  }
  return mt;
})();

/**
 * Scratch for `key[j] + j mod 2^32`, the per-step constant of `init_by_array`'s first pass.
 * Precomputed as int32 so that the serial chain adds one small integer per step.
 */
let keyScratch = new Int32Array(8);

/** Writes `word + j` for the `j`th key word into the scratch, growing it if needed. */
function putKeyWord(j: number, word: number): void {
  if (j === keyScratch.length) {
    const grown = new Int32Array(2 * j);
    grown.set(keyScratch);
    keyScratch = grown;
  }
  keyScratch[j] = word + j; // stored mod 2^32
}

/**
 * Fills the scratch from `abs(seed)` split into 32-bit little-endian words, as CPython's
 * `random_seed` splits an int, and returns the number of words.
 */
function loadSeedKey(seed: number | bigint): number {
  if (typeof seed !== "number" && typeof seed !== "bigint") {
    throw new SpaxError(`seed must be an integer (a number or a bigint), got ${typeof seed}`, {
      code: "invalid_seed",
    });
  }
  if (typeof seed === "number") {
    if (!Number.isSafeInteger(seed)) {
      throw new SpaxError(
        `seed must be a safe integer (|seed| < 2^53) or a bigint, got ${String(seed)}`,
        { code: "invalid_seed" },
      );
    }
    const n = Math.abs(seed);
    const high = Math.floor(n / TWO_32);
    putKeyWord(0, n % TWO_32);
    if (high === 0) return 1; // seed 0 has no bits; CPython still uses one word, [0]
    putKeyWord(1, high);
    return 2;
  }
  let n = seed < 0n ? -seed : seed;
  let len = 0;
  do {
    putKeyWord(len++, Number(n & 0xffffffffn));
    n >>= 32n;
  } while (n > 0n);
  return len;
}

/** CPython's `random_seed(None)`: 624 words of OS entropy fed to `init_by_array`. */
function loadEntropyKey(): number {
  const words = new Uint32Array(N);
  globalThis.crypto.getRandomValues(words);
  for (let j = 0; j < N; j++) putKeyWord(j, words[j]);
  return N;
}

/** States per slab; see {@link allocState}. */
const SLAB_STATES = 16;
let slab = new ArrayBuffer(0);
let slabNext = SLAB_STATES;

/**
 * A fresh 624-word state. Each `new Int32Array(624)` gets its own off-heap backing store,
 * which costs V8 about as much as seeding itself; views into a shared slab avoid that.
 * A slab (40 KB) is freed once no generator using it is reachable.
 */
function allocState(): Int32Array {
  if (slabNext === SLAB_STATES) {
    slab = new ArrayBuffer(4 * N * SLAB_STATES);
    slabNext = 0;
  }
  return new Int32Array(slab, 4 * N * slabNext++, N);
}

/**
 * A Mersenne Twister that draws exactly what CPython 3.11's `random.Random(seed)` draws.
 *
 * State words are regenerated lazily: after seeding (and after every 624 outputs) CPython
 * twists all 624 words at once; here word `i` is twisted just before it is output. This is
 * the same computation in the same order, because new word `i` reads old words `i`, `i + 1`
 * and `i + 397` (still untouched) for `i < 227`, and already-new words `i - 227` (and, for
 * `i = 623`, word 0) afterwards. A config that draws ten numbers thus twists ten words.
 *
 * @example
 * ```ts
 * const rng = new PyRandom(42);
 * rng.random(); // 0.6394267984578837, as random.Random(42).random()
 * ```
 */
export class PyRandom {
  /** The 624-word state; words before `index` belong to the current round. */
  private readonly mt: Int32Array;
  /** Next word to twist and output, 0..623. */
  private index = 0;

  /**
   * Seeds like `random.Random(seed)` for an integer seed: `init_by_array` over the 32-bit
   * little-endian words of `abs(seed)`. Without a seed, uses `crypto.getRandomValues`.
   * @param seed a safe integer or a bigint of any size (negative seeds equal their absolute value)
   * @throws {SpaxError} code `invalid_seed` when a number seed is not a safe integer
   * @example
   * ```ts
   * new PyRandom(2n ** 64n + 12345n).random();
   * ```
   */
  constructor(seed?: number | bigint) {
    this.mt = allocState();
    this.seed(seed);
  }

  /**
   * Re-seeds in place, as CPython's `random.seed(seed)`: afterwards the generator draws exactly
   * what `new PyRandom(seed)` would. Reusing a generator saves the state allocation.
   * @throws {SpaxError} code `invalid_seed` when a number seed is not a safe integer
   * @example
   * ```ts
   * const rng = new PyRandom(1);
   * rng.seed(42).random(); // 0.6394267984578837
   * ```
   */
  seed(seed?: number | bigint): this {
    const keyLength = seed === undefined ? loadEntropyKey() : loadSeedKey(seed);
    initByArray(this.mt, keyLength);
    this.index = 0;
    return this;
  }

  /** Twists the next state word in place and returns it tempered (CPython `genrand_uint32`). */
  private next32(): number {
    const mt = this.mt;
    const i = this.index;
    const i1 = i === N - 1 ? 0 : i + 1;
    const y = (mt[i] & 0x80000000) | (mt[i1] & 0x7fffffff);
    let v = mt[i < N - M ? i + M : i + M - N] ^ (y >>> 1) ^ (-(y & 1) & 0x9908b0df);
    mt[i] = v;
    this.index = i1;
    v ^= v >>> 11;
    v ^= (v << 7) & 0x9d2c5680;
    v ^= (v << 15) & 0xefc60000;
    v ^= v >>> 18;
    return v >>> 0;
  }

  /**
   * A float in [0, 1) with 53 random bits, as CPython's `random()`: 27 bits of one word and
   * 26 bits of the next.
   * @example
   * ```ts
   * new PyRandom(0).random(); // 0.8444218515250481
   * ```
   */
  random(): number {
    const a = this.next32() >>> 5;
    const b = this.next32() >>> 6;
    return (a * 67108864 + b) / TWO_53;
  }

  /**
   * `getrandbits(k)` for 0 ≤ k ≤ 53, as a number. k ≤ 32 keeps the top k bits of one word;
   * wider k takes the low word first and the top bits of the second, as CPython does.
   * @throws {SpaxError} code `invalid_argument` when k is not an integer in 0..53
   * @example
   * ```ts
   * new PyRandom(1).getrandbits(8); // an integer in 0..255
   * ```
   */
  getrandbits(k: number): number {
    const integral = (k | 0) === k;
    if (k <= 32 && k >= 1 && integral) return this.next32() >>> (32 - k);
    if (k > 32 && k <= 53 && integral) {
      const low = this.next32();
      return (this.next32() >>> (64 - k)) * TWO_32 + low;
    }
    // CPython 3.9+ accepts 0 and returns 0 without drawing.
    if (k === 0) return 0;
    throw new SpaxError(`getrandbits needs an integer k in 0..53, got ${String(k)}`, {
      code: "invalid_argument",
    });
  }

  /**
   * `getrandbits(k)` for any k ≥ 0, as a bigint: ⌈k/32⌉ words, least significant first, the
   * last one cut to its top bits. Draws the same words as {@link PyRandom.getrandbits}.
   * @throws {SpaxError} code `invalid_argument` when k is not a non-negative safe integer
   * @example
   * ```ts
   * new PyRandom(1).getrandbitsBig(64); // a bigint in 0n..2n ** 64n - 1n
   * ```
   */
  getrandbitsBig(k: number): bigint {
    if (!Number.isSafeInteger(k) || k < 0) {
      throw new SpaxError(`getrandbits needs a non-negative integer k, got ${String(k)}`, {
        code: "invalid_argument",
      });
    }
    let out = 0n;
    let shift = 0n;
    for (let left = k; left > 0; left -= 32) {
      const word = left < 32 ? this.next32() >>> (32 - left) : this.next32();
      out |= BigInt(word) << shift;
      shift += 32n;
    }
    return out;
  }

  /**
   * A uniform integer in [0, n), as CPython 3.11's `_randbelow_with_getrandbits`: draw
   * `getrandbits(n.bit_length())` until it is below n. n = 1 still draws: `getrandbits(1)`
   * until it is 0, two words on average.
   * @param n a safe integer ≥ 1, or exactly 2^53
   * @throws {SpaxError} code `invalid_argument` for any other n
   * @example
   * ```ts
   * new PyRandom(42).randbelow(10); // 1, as random.Random(42).randrange(10)
   * ```
   */
  randbelow(n: number): number {
    if (n >= 1 && n < TWO_32 && Number.isInteger(n)) {
      // Common case: one word per try, its top k bits.
      const shift = Math.clz32(n);
      let r = this.next32() >>> shift;
      while (r >= n) r = this.next32() >>> shift;
      return r;
    }
    if (!(Number.isSafeInteger(n) || n === TWO_53) || n < 1) {
      throw new SpaxError(`randbelow needs an integer n in 1..2^53, got ${String(n)}`, {
        code: "invalid_argument",
      });
    }
    // 33 ≤ k ≤ 54: low word whole, then the top k - 32 bits of the next word. Compare the
    // high part first so k = 54 (n = 2^53) never builds an inexact 54-bit number.
    const nHigh = Math.floor(n / TWO_32);
    const nLow = n % TWO_32;
    const shift = Math.clz32(nHigh);
    for (;;) {
      const low = this.next32();
      const high = this.next32() >>> shift;
      if (high < nHigh || (high === nHigh && low < nLow)) return high * TWO_32 + low;
    }
  }

  /**
   * A uniform integer in [a, b], as CPython's `randint(a, b)` = `a + _randbelow(b - a + 1)`.
   * @throws {SpaxError} code `empty_range` when b < a; `invalid_argument` for non-integers or
   * a range wider than 2^53
   * @example
   * ```ts
   * new PyRandom(42).randint(1, 10); // 2
   * ```
   */
  randint(a: number, b: number): number {
    if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b)) {
      throw new SpaxError(`randint needs safe integer bounds, got (${String(a)}, ${String(b)})`, {
        code: "invalid_argument",
      });
    }
    if (b - a >= TWO_53) {
      // Wider ranges are not representable as a width; CPython would handle them as ints.
      throw new SpaxError(`randint range (${a}, ${b}) is wider than 2^53`, {
        code: "invalid_argument",
      });
    }
    const width = b - a + 1;
    if (width <= 0) {
      // CPython's ValueError text, randint(a, b) being randrange(a, b + 1).
      throw new SpaxError(`empty range for randrange() (${a}, ${b + 1}, ${width})`, {
        code: "empty_range",
      });
    }
    return a + this.randbelow(width);
  }

  /**
   * `a + (b - a) * random()`, as CPython's `uniform(a, b)` (same float arithmetic).
   * @example
   * ```ts
   * new PyRandom(42).uniform(-1, 1);
   * ```
   */
  uniform(a: number, b: number): number {
    return a + (b - a) * this.random();
  }

  /**
   * One index drawn like `random.choices(range(n), cum_weights=cumulative)[0]`:
   * `bisect_right(cumulative, random() * total, 0, n - 1)` with `total = cumulative[n - 1]`.
   * @param cumulative non-decreasing running sums, e.g. from {@link cumulativeWeights}
   * @throws {SpaxError} code `invalid_weights` when empty or the total is not positive and finite
   * @example
   * ```ts
   * new PyRandom(42).weightedIndex(cumulativeWeights([0.6, 0.2, 0.2])); // 0
   * ```
   */
  weightedIndex(cumulative: ArrayLike<number>): number {
    const n = cumulative.length;
    const total = n === 0 ? Number.NaN : cumulative[n - 1];
    // CPython raises for total <= 0 and for a non-finite total, before drawing.
    if (!(total > 0) || !Number.isFinite(total)) {
      throw new SpaxError(
        `weights must have a positive, finite total, got ${n === 0 ? "no weights" : String(total)}`,
        { code: "invalid_weights" },
      );
    }
    const x = this.random() * total;
    let lo = 0;
    let hi = n - 1; // CPython passes hi = n - 1: the last index catches rounding overshoot.
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (x < cumulative[mid]) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/**
 * CPython's `init_by_array` over the key in `keyScratch`, into `mt`. Both passes are one
 * serial chain of ~1250 multiply-xor-add steps (every word depends on the previous one), so
 * the loops keep the chain to int32 operations and read the first sweep from the cache.
 */
function initByArray(mt: Int32Array, keyLength: number): void {
  const kj = keyScratch;
  let prev = BASE_STATE[0];
  let j = 0;
  // First pass, first sweep (i = 1..623): old words come from init_genrand(19650218).
  for (let i = 1; i < N; i++) {
    prev = ((BASE_STATE[i] ^ Math.imul(prev ^ (prev >>> 30), 1664525)) + kj[j]) | 0;
    mt[i] = prev;
    if (++j === keyLength) j = 0;
  }
  mt[0] = prev; // CPython copies the last word to 0 on each wrap
  // The rest of the first pass: max(624, keyLength) steps in all, wrapping from 623 to 1.
  let i = 1;
  for (let k = Math.max(N, keyLength) - (N - 1); k > 0; k--) {
    prev = ((mt[i] ^ Math.imul(prev ^ (prev >>> 30), 1664525)) + kj[j]) | 0;
    mt[i] = prev;
    if (++i === N) {
      mt[0] = prev;
      i = 1;
    }
    if (++j === keyLength) j = 0;
  }
  // Second pass: 623 steps, subtracting the index.
  for (let k = N - 1; k > 0; k--) {
    prev = ((mt[i] ^ Math.imul(prev ^ (prev >>> 30), 1566083941)) - i) | 0;
    mt[i] = prev;
    if (++i === N) {
      mt[0] = prev;
      i = 1;
    }
  }
  mt[0] = 0x80000000 | 0; // MSB set: the state is never all zero
}

/**
 * Running sums of the normalised weights, built exactly as SpaX builds a Categorical's
 * `cum_weights`: `S = sum(weights)` (Python 3.11 `sum`: plain left-to-right float
 * addition — 3.12 switched to compensated summation), `p_i = w_i / S`, then
 * `itertools.accumulate(p)` (plain left-to-right running sum). The last entry is usually,
 * not always, exactly 1; {@link PyRandom.weightedIndex} scales by it as CPython does.
 * @throws {SpaxError} code `invalid_weights` when empty or the sum is not positive and finite
 * @example
 * ```ts
 * cumulativeWeights([3, 1, 1, 0.5, 2]); // [0.4, 0.5333333333333333, 0.6666666666666666, 0.7333333333333333, 1]
 * ```
 */
export function cumulativeWeights(weights: readonly number[]): Float64Array {
  let sum = 0;
  for (const w of weights) sum += w;
  if (weights.length === 0 || !(sum > 0) || !Number.isFinite(sum)) {
    throw new SpaxError(`weights must have a positive, finite sum, got ${String(sum)}`, {
      code: "invalid_weights",
    });
  }
  const out = new Float64Array(weights.length);
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc = i === 0 ? weights[0] / sum : acc + weights[i] / sum;
    out[i] = acc;
  }
  return out;
}

/**
 * Python's `round(x)` of a float to an integer: to nearest, ties to even (`round(2.5) == 2`).
 * Returns +0 rather than -0, as Python's int 0 has no sign.
 * @throws {SpaxError} code `invalid_argument` for NaN or ±Infinity (Python raises too)
 * @example
 * ```ts
 * roundHalfEven(0.5); // 0
 * roundHalfEven(1.5); // 2
 * ```
 */
export function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) {
    throw new SpaxError(`cannot round ${String(x)} to an integer`, { code: "invalid_argument" });
  }
  const f = Math.floor(x);
  const d = x - f; // exact for every double
  const r = d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
  return r === 0 ? 0 : r;
}
