/**
 * Per-trial randomness. A sampler's draws for a trial depend only on the sampler's seed and the
 * trial's number (and a stream id for independent uses), so runs are reproducible across
 * resumes and processes, and concurrent trials never share a stream.
 * @module
 */
import { formatValue, SpaxError } from "../errors.js";
import { PyRandom } from "../sample/mt19937.js";

const MASK = (1n << 64n) - 1n;

/** SplitMix64's finaliser: a bijective 64-bit mix (good avalanche for nearby inputs). */
function mix64(x: bigint): bigint {
  let z = (x + 0x9e3779b97f4a7c15n) & MASK;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
  return z ^ (z >> 31n);
}

/**
 * The seed a sampler uses: the given one, or fresh entropy when none is given (then the run is
 * not reproducible, but trials still never share a stream).
 * @throws SpaxError for a seed that is not a safe integer or a bigint.
 */
export function resolveSeed(seed: number | bigint | undefined): bigint {
  if (seed === undefined) {
    const words = new Uint32Array(2);
    globalThis.crypto.getRandomValues(words);
    return (BigInt(words[0]!) << 32n) | BigInt(words[1]!);
  }
  if (typeof seed === "bigint") return seed & MASK;
  if (typeof seed !== "number" || !Number.isSafeInteger(seed)) {
    throw new SpaxError(
      `a sampler seed must be a safe integer or a bigint, got ${formatValue(seed)}`,
      {
        code: "invalid_seed",
      },
    );
  }
  return BigInt(seed) & MASK;
}

/**
 * A generator for one trial of a seeded sampler: `stream` separates independent uses within
 * the trial (e.g. relative vs. independent sampling).
 * @example
 * const rng = trialRandom(resolveSeed(1), trial.number);
 */
export function trialRandom(seed: bigint, trialNumber: number, stream = 0): PyRandom {
  const key = mix64((mix64((mix64(seed) + BigInt(trialNumber)) & MASK) + BigInt(stream)) & MASK);
  return new PyRandom(key);
}

/**
 * The stream of parameter `name`'s independent draws: 2^32 plus the name's 32-bit FNV-1a hash,
 * apart from the small ids samplers use for joint draws. A parameter's random value then
 * depends only on (seed, trial number, name), whatever order parameters are asked in and
 * whatever other parameters a trial has.
 */
export function paramStream(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return 0x100000000 + h;
}
