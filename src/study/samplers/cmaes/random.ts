/**
 * Randomness helpers shared by the CMA-ES and NSGA-II samplers. Every draw comes from
 * `trialRandom(seed, trialNumber, stream)`, so a trial's values depend only on the sampler's
 * seed, the trial's number and the study's history.
 * @module
 */
import type { PyRandom } from "../../../sample/mt19937.js";
import type { JsonValue } from "../../../space/values.js";
import type { Distribution } from "../../distributions.js";
import type { FrozenTrial } from "../../frozen-trial.js";
import type { Sampler, StudyView } from "../../sampler.js";
import { resolveSeed, trialRandom } from "../../seed.js";

/** Standard normal draws by the Box–Muller transform (two per pair of uniforms). */
export class Gaussian {
  private spare = Number.NaN;

  constructor(readonly rng: PyRandom) {}

  /** One N(0, 1) draw. */
  next(): number {
    if (!Number.isNaN(this.spare)) {
      const z = this.spare;
      this.spare = Number.NaN;
      return z;
    }
    // 1 - random() lies in (0, 1], so the logarithm is finite.
    const r = Math.sqrt(-2 * Math.log(1 - this.rng.random()));
    const theta = 2 * Math.PI * this.rng.random();
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }
}

/**
 * The stream id for independent draws of parameter `name`: 2^32 plus the name's 32-bit FNV-1a
 * hash, apart from the small stream ids the samplers use for their joint draws. Each
 * parameter thus gets its own generator, whatever order the parameters are asked in.
 */
export function paramStream(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return 0x100000000 + h;
}

/**
 * A uniform draw from a distribution: floats uniform in `[low, high]` (log-uniform for `log`),
 * stepped floats and ints uniform over their grid (log ints: log-uniform, then rounded, as
 * Optuna's `RandomSampler`), categoricals uniform over the choices.
 */
export function sampleUniform(rng: PyRandom, d: Distribution): JsonValue {
  switch (d.kind) {
    case "categorical":
      return d.choices[rng.randbelow(d.choices.length)]!;
    case "float": {
      if (d.low === d.high) return d.low;
      if (d.step !== undefined) {
        const n = Math.round((d.high - d.low) / d.step);
        const k = rng.randbelow(n + 1);
        return k === n ? d.high : Math.min(d.high, d.low + k * d.step);
      }
      if (d.log) {
        const v = Math.exp(rng.uniform(Math.log(d.low), Math.log(d.high)));
        return Math.min(d.high, Math.max(d.low, v));
      }
      return Math.min(d.high, rng.uniform(d.low, d.high));
    }
    case "int": {
      if (d.low === d.high) return d.low;
      if (d.log) {
        const v = Math.round(Math.exp(rng.uniform(Math.log(d.low - 0.5), Math.log(d.high + 0.5))));
        return Math.min(d.high, Math.max(d.low, v));
      }
      return d.low + d.step * rng.randbelow((d.high - d.low) / d.step + 1);
    }
  }
}

/**
 * The default independent sampler of CMA-ES and NSGA-II: each parameter uniformly at random
 * (see {@link sampleUniform}), from `trialRandom(seed, trial.number, paramStream(name))`.
 */
export class UniformIndependentSampler implements Sampler {
  private readonly seed: bigint;

  constructor(seed: bigint | number | undefined) {
    this.seed = resolveSeed(seed);
  }

  inferRelativeSearchSpace(): Record<string, Distribution> {
    return {};
  }

  sampleRelative(): Record<string, JsonValue> {
    return {};
  }

  sampleIndependent(
    _study: StudyView,
    trial: FrozenTrial,
    name: string,
    distribution: Distribution,
  ): JsonValue {
    return sampleUniform(trialRandom(this.seed, trial.number, paramStream(name)), distribution);
  }
}
