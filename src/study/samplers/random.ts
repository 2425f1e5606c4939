/**
 * Uniform random sampling, each trial from its own stream derived from (seed, trial number).
 * @module
 */

import { SpaxError } from "../../errors.js";
import type { PyRandom } from "../../sample/mt19937.js";
import type { JsonValue } from "../../space/values.js";
import { optionsObject } from "../../space/values.js";
import type { Distribution } from "../distributions.js";
import type { FrozenTrial } from "../frozen-trial.js";
import type { Sampler, StudyView } from "../sampler.js";
import { paramStream, resolveSeed, trialRandom } from "../seed.js";

/**
 * The k-th point of a float grid, without binary drift (`0.1 + 2 × 0.1` is `0.3`, not
 * `0.30000000000000004`), never above `high`.
 */
export function floatGridPoint(low: number, step: number, k: number, high: number): number {
  return Math.min(Number.parseFloat((low + k * step).toPrecision(15)), high);
}

/**
 * One value drawn uniformly from a distribution (log-uniformly for `log`, uniformly over the
 * grid for `step`, uniformly over the choices for categoricals).
 */
export function drawUniform(rng: PyRandom, d: Distribution): JsonValue {
  switch (d.kind) {
    case "categorical":
      return d.choices[rng.randbelow(d.choices.length)]!;
    case "float": {
      if (d.step !== undefined) {
        const n = Math.round((d.high - d.low) / d.step);
        return floatGridPoint(d.low, d.step, rng.randbelow(n + 1), d.high);
      }
      const x = d.log
        ? Math.exp(Math.log(d.low) + (Math.log(d.high) - Math.log(d.low)) * rng.random())
        : d.low + (d.high - d.low) * rng.random();
      return Math.min(Math.max(x, d.low), d.high);
    }
    case "int": {
      if (d.log) {
        // Optuna's transform: uniform in log space over [low − ½, high + ½], rounded.
        const a = Math.log(d.low - 0.5);
        const v = Math.round(Math.exp(a + (Math.log(d.high + 0.5) - a) * rng.random()));
        return Math.min(Math.max(v, d.low), d.high);
      }
      return d.low + d.step * rng.randbelow((d.high - d.low) / d.step + 1);
    }
  }
}

/**
 * Samples every parameter uniformly at random. With a seed, a parameter's value depends only on
 * the seed, the trial's number and the parameter's name: a run of 50 trials equals 25 + 25
 * across a resume, concurrent trials never draw alike, and adding a parameter to a space does
 * not change the others' draws. Also the default independent sampler of the model-based samplers.
 * @example
 * const study = await sp.createStudy({ sampler: new sp.RandomSampler({ seed: 1 }) });
 */
export class RandomSampler implements Sampler {
  private readonly seed: bigint;

  constructor(options: { seed?: number | bigint } = {}) {
    this.seed = resolveSeed(
      optionsObject(options, "RandomSampler", SpaxError, ["seed"]).seed as number | undefined,
    );
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
    return drawUniform(trialRandom(this.seed, trial.number, paramStream(name)), distribution);
  }
}
