/**
 * Sobol' low-discrepancy points, as SciPy's `scipy.stats.qmc.Sobol` makes them: Joe–Kuo
 * direction numbers (Bratley–Fox recurrence, 30 bits), points in Gray-code order, and optional
 * scrambling by a random lower-triangular binary matrix per dimension plus a random digital
 * shift (Owen-type linear matrix scrambling, "LMS + shift"). Unscrambled points equal
 * `qmc.Sobol(d, scramble=False).random(n)` exactly; scrambled ones use the same construction with
 * spax's seeded generator in place of NumPy's, so they are reproducible but not SciPy's numbers.
 * @module
 */
import { formatValue, SpaxError } from "../../errors.js";
import { PyRandom } from "../../sample/mt19937.js";
import { JOE_KUO_DIRECTIONS, SOBOL_DIMENSIONS } from "./sobol-direction-numbers.js";

/** Bits per coordinate (SciPy's default `bits=30`): at most 2^30 points per sequence. */
export const SOBOL_BITS = 30;

/** The most dimensions a {@link SobolEngine} supports (the direction numbers spax ships). */
export const SOBOL_MAX_DIMENSIONS: number = SOBOL_DIMENSIONS;

/** How many points one sequence holds: 2^30. */
export const SOBOL_MAX_POINTS = 2 ** SOBOL_BITS;

const SCALE = 2 ** -SOBOL_BITS;

/**
 * A Sobol' scrambling: per dimension a 30-bit digital `shift` and a lower-triangular binary
 * matrix given by its 30 rows. Row `p` is a bit mask over columns: bit `c` set means entry
 * (p, c) is 1; only columns `c < p` are read (the diagonal is always 1, as in SciPy). Row and
 * column 0 stand for the most significant binary digit.
 */
export interface SobolScrambling {
  readonly shift: readonly number[];
  readonly matrices: readonly (readonly number[])[];
}

/** Options of {@link SobolEngine}. */
export interface SobolOptions {
  /**
   * Scramble the points (default `false`, unlike SciPy, so that `new SobolEngine(d)` is the
   * plain sequence). Scrambled points are drawn from `random`, else from `seed`.
   */
  scramble?: boolean;
  /** Seed of the scrambling generator (`new PyRandom(seed)`); fresh entropy when absent. */
  seed?: number | bigint;
  /** The generator to draw the scrambling from (takes precedence over `seed`). */
  random?: PyRandom;
  /** An explicit scrambling (e.g. SciPy's, for tests); implies `scramble`. */
  scrambling?: SobolScrambling;
}

let table: { poly: Uint32Array; initial: Uint32Array[] } | undefined;

/** Parses the direction-number table once. */
function directionTable(): { poly: Uint32Array; initial: Uint32Array[] } {
  if (table !== undefined) return table;
  const lines = JOE_KUO_DIRECTIONS.trim().split("\n");
  const poly = new Uint32Array(lines.length);
  const initial: Uint32Array[] = [];
  lines.forEach((line, d) => {
    const numbers = line.trim().split(" ").map(Number);
    poly[d] = numbers[0]!;
    initial.push(Uint32Array.from(numbers.slice(1)));
  });
  table = { poly, initial };
  return table;
}

function checkDimension(d: number): void {
  if (!Number.isSafeInteger(d) || d < 1 || d > SOBOL_MAX_DIMENSIONS) {
    throw new SpaxError(
      `Sobol' points need a dimension in 1..${SOBOL_MAX_DIMENSIONS}, got ${formatValue(d)}`,
      { code: "invalid_dimension" },
    );
  }
}

/**
 * The unscrambled direction numbers of dimensions 0..d-1 as SciPy's `_initialize_v` computes
 * them: a d × 30 row-major array whose entry (i, j) is the j-th direction number of dimension
 * i, scaled to 30 bits (bit 29 is the first binary digit).
 * @throws SpaxError code `invalid_dimension` unless 1 ≤ d ≤ {@link SOBOL_MAX_DIMENSIONS}.
 * @example
 * sobolDirectionNumbers(2); // Uint32Array of length 60
 */
export function sobolDirectionNumbers(d: number): Uint32Array {
  checkDimension(d);
  const { poly, initial } = directionTable();
  const bits = SOBOL_BITS;
  const v = new Uint32Array(d * bits);
  for (let j = 0; j < bits; j++) v[j] = 1;
  for (let i = 1; i < d; i++) {
    const p = poly[i]!;
    const m = 31 - Math.clz32(p); // degree = bit length - 1
    const row = i * bits;
    for (let j = 0; j < m; j++) v[row + j] = initial[i]![j]!;
    // Bratley and Fox's recurrence (SciPy's `_initialize_v`).
    for (let j = m; j < bits; j++) {
      let next = v[row + j - m]!;
      for (let k = 0; k < m; k++) {
        if ((p >>> (m - 1 - k)) & 1) next ^= v[row + j - k - 1]! << (k + 1);
      }
      v[row + j] = next;
    }
  }
  // Column j carries weight 2^(bits-1-j).
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < bits; j++) v[i * bits + j] = v[i * bits + j]! << (bits - 1 - j);
  }
  return v;
}

/**
 * A random scrambling for `d` dimensions drawn from `rng`: per dimension the 30-bit shift, then
 * the strictly-lower part of each matrix row (row p takes `getrandbits(p)`). Dimension i's
 * scrambling depends only on the draws before it, so the scrambling of the first k dimensions
 * does not depend on d.
 * @example
 * randomSobolScrambling(2, new PyRandom(1));
 */
export function randomSobolScrambling(d: number, rng: PyRandom): SobolScrambling {
  checkDimension(d);
  const shift: number[] = [];
  const matrices: number[][] = [];
  for (let i = 0; i < d; i++) {
    shift.push(rng.getrandbits(SOBOL_BITS));
    const rows: number[] = [];
    for (let p = 0; p < SOBOL_BITS; p++) rows.push(p === 0 ? 0 : rng.getrandbits(p));
    matrices.push(rows);
  }
  return { shift, matrices };
}

/** Parity of the set bits of a 32-bit integer. */
function parity(x: number): number {
  x ^= x >>> 16;
  x ^= x >>> 8;
  x ^= x >>> 4;
  return (0x6996 >>> (x & 0xf)) & 1;
}

/**
 * Applies one dimension's matrix to its 30 direction numbers in place (SciPy's `_cscramble`):
 * output digit p is the parity of input digits c ≤ p selected by row p, so the first k digits
 * of a point depend only on its first k digits and the net structure survives.
 */
function scrambleDimension(v: Uint32Array, offset: number, rows: readonly number[]): void {
  const bits = SOBOL_BITS;
  const masks = new Uint32Array(bits);
  for (let p = 0; p < bits; p++) {
    const row = rows[p]!;
    let mask = 1 << (bits - 1 - p); // the diagonal
    for (let c = 0; c < p; c++) if ((row >>> c) & 1) mask |= 1 << (bits - 1 - c);
    masks[p] = mask;
  }
  for (let j = 0; j < bits; j++) {
    const x = v[offset + j]!;
    let out = 0;
    for (let p = 0; p < bits; p++) out |= parity(masks[p]! & x) << (bits - 1 - p);
    v[offset + j] = out;
  }
}

function checkScrambling(s: SobolScrambling, d: number): void {
  const ok =
    Array.isArray(s.shift) &&
    Array.isArray(s.matrices) &&
    s.shift.length >= d &&
    s.matrices.length >= d &&
    s.shift.every((x) => Number.isInteger(x) && x >= 0 && x < SOBOL_MAX_POINTS) &&
    s.matrices.every(
      (rows) =>
        Array.isArray(rows) &&
        rows.length === SOBOL_BITS &&
        rows.every((r) => Number.isInteger(r) && r >= 0 && r < SOBOL_MAX_POINTS),
    );
  if (!ok) {
    throw new SpaxError(
      `a Sobol' scrambling needs ${d} shifts below 2^30 and ${d} matrices of ${SOBOL_BITS} rows`,
      { code: "invalid_scrambling" },
    );
  }
}

/**
 * A d-dimensional Sobol' sequence with random access: `point(k)` is the k-th point of SciPy's
 * sequence (`Sobol(d).random(k + 1)[k]` for the same scrambling), computed from the Gray code
 * of k, so a sampler can ask for any index without replaying the ones before it.
 * @example
 * const sobol = new SobolEngine(2);
 * sobol.points(0, 4); // [[0, 0], [0.5, 0.5], [0.75, 0.25], [0.25, 0.75]]
 * const scrambled = new SobolEngine(2, { scramble: true, seed: 1 });
 * scrambled.point(5); // two numbers in [0, 1)
 */
export class SobolEngine {
  /** Number of dimensions. */
  readonly d: number;
  /** Whether the points are scrambled. */
  readonly scrambled: boolean;
  /** Direction numbers (scrambled when `scrambled`), d × 30 row-major. */
  private readonly v: Uint32Array;
  /** The digital shift per dimension (zeros when not scrambled). */
  private readonly shift: Uint32Array;

  /**
   * @param d number of dimensions, 1 ≤ d ≤ {@link SOBOL_MAX_DIMENSIONS}
   * @param options `scramble` (default false), `seed` or `random` for the scrambling, or an
   * explicit `scrambling`
   * @throws SpaxError code `invalid_dimension` for a bad d, `invalid_scrambling` for a bad
   * explicit scrambling.
   */
  constructor(d: number, options: SobolOptions = {}) {
    checkDimension(d);
    this.d = d;
    this.v = sobolDirectionNumbers(d);
    this.shift = new Uint32Array(d);
    let scrambling = options.scrambling;
    if (scrambling === undefined && options.scramble === true) {
      scrambling = randomSobolScrambling(d, options.random ?? new PyRandom(options.seed));
    }
    this.scrambled = scrambling !== undefined;
    if (scrambling !== undefined) {
      checkScrambling(scrambling, d);
      for (let i = 0; i < d; i++) {
        this.shift[i] = scrambling.shift[i]!;
        scrambleDimension(this.v, i * SOBOL_BITS, scrambling.matrices[i]!);
      }
    }
  }

  private checkIndex(index: number, count = 1): void {
    if (
      !Number.isSafeInteger(index) ||
      index < 0 ||
      !Number.isSafeInteger(count) ||
      count < 0 ||
      index + count > SOBOL_MAX_POINTS
    ) {
      throw new SpaxError(
        `Sobol' points are numbered 0..2^30-1; cannot take ${formatValue(count)} from index ${formatValue(index)}`,
        { code: "invalid_index" },
      );
    }
  }

  /** The 30-bit integer coordinates of point `index` (before scaling to [0, 1)). */
  private integers(index: number, out: Uint32Array): Uint32Array {
    out.set(this.shift);
    const gray = index ^ (index >>> 1);
    for (let b = 0; b < SOBOL_BITS; b++) {
      if (((gray >>> b) & 1) === 0) continue;
      for (let i = 0; i < this.d; i++) out[i] = out[i]! ^ this.v[i * SOBOL_BITS + b]!;
    }
    return out;
  }

  /**
   * Point number `index` (0-based), each coordinate in [0, 1).
   * @throws SpaxError code `invalid_index` unless 0 ≤ index < 2^30.
   */
  point(index: number): Float64Array {
    this.checkIndex(index);
    const q = this.integers(index, new Uint32Array(this.d));
    const out = new Float64Array(this.d);
    for (let i = 0; i < this.d; i++) out[i] = q[i]! * SCALE;
    return out;
  }

  /**
   * `n` consecutive points from `start`: `points(0, n)` equals SciPy's `random(n)` on a fresh
   * engine; `points(k, n)` equals `fast_forward(k)` then `random(n)`.
   * @throws SpaxError code `invalid_index` when the range leaves 0..2^30-1.
   */
  points(start: number, n: number): Float64Array[] {
    this.checkIndex(start, n);
    const out: Float64Array[] = [];
    if (n === 0) return out;
    const q = this.integers(start, new Uint32Array(this.d));
    for (let k = start; ; k++) {
      const row = new Float64Array(this.d);
      for (let i = 0; i < this.d; i++) row[i] = q[i]! * SCALE;
      out.push(row);
      if (out.length === n) return out;
      // Point k+1 differs from point k by the direction numbers of k's lowest zero bit.
      const b = 31 - Math.clz32(~k & (k + 1));
      for (let i = 0; i < this.d; i++) q[i] = q[i]! ^ this.v[i * SOBOL_BITS + b]!;
    }
  }
}
