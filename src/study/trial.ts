/**
 * A live trial: what an objective talks to. Define-by-run `suggest*` calls, intermediate
 * reports and pruning decisions are synchronous (they work on the study's in-memory view);
 * storage writes are queued and awaited when the trial is told its result.
 * @module
 */
import { formatValue, SpaxError } from "../errors.js";
import type {
  SpaceSampler,
  SuggestCategoricalOptions,
  SuggestNumberOptions,
} from "../sample/sampler.js";
import { freezeJson, type JsonValue, optionsObject } from "../space/values.js";
import type { Storage } from "../storage/base.js";
import {
  CategoricalDistribution,
  type Distribution,
  distributionToJSON,
  FloatDistribution,
  IntDistribution,
} from "./distributions.js";
import type { FrozenTrial } from "./frozen-trial.js";

/**
 * Throw it from an objective to end the trial as PRUNED (control flow, as Optuna's
 * `TrialPruned`): the study records the last reported value and goes on.
 * @example
 * if (trial.shouldPrune()) throw new sp.TrialPruned();
 */
export class TrialPruned extends Error {
  override name = "TrialPruned";
  constructor(message = "trial pruned") {
    super(message);
  }
}

/** Misuse of a trial: a wrong suggest, a report after the end, a conflicting distribution. */
export class TrialError extends SpaxError {
  override name = "TrialError";
}

/** What a trial needs from its study (implemented by `Study`). */
export interface TrialHost {
  /** The sampler's value for a parameter (relative sample first, else independent). */
  sampleParam(trial: Trial, name: string, distribution: Distribution): JsonValue;
  /**
   * Checks a parameter's distribution against earlier trials of the study; with `record`, the
   * first one becomes the parameter's distribution.
   */
  checkDistribution(trial: Trial, name: string, distribution: Distribution, record: boolean): void;
  /** Whether the study's pruner would prune this trial now. */
  shouldPrune(trial: Trial): boolean;
  /** Records the trial's new snapshot in the study's view and queues `write`. */
  update(trial: Trial, snapshot: FrozenTrial, write: (storage: Storage) => Promise<unknown>): void;
}

/**
 * A trial in progress. Use `suggestFloat`/`suggestInt`/`suggestCategorical` (define-by-run),
 * or hand it to `Space.fromTrial(trial)`; `report` intermediate values and ask `shouldPrune()`.
 */
export class Trial implements SpaceSampler {
  /** The trial's number in its study (0, 1, 2, …). */
  readonly number: number;
  /** The trial's id in the storage. */
  readonly trialId: number;
  private current: FrozenTrial;
  private finishedState: string | undefined;
  /** Values fixed in advance (enqueued trials), by parameter name. */
  readonly fixedParams: Readonly<Record<string, JsonValue>>;

  constructor(
    private readonly host: TrialHost,
    snapshot: FrozenTrial,
    fixedParams: Readonly<Record<string, JsonValue>> = {},
  ) {
    this.number = snapshot.number;
    this.trialId = snapshot.trialId;
    this.current = snapshot;
    this.fixedParams = fixedParams;
  }

  /** The trial as it stands: params so far, reports, attributes. */
  get snapshot(): FrozenTrial {
    return this.current;
  }
  /** Parameters suggested so far. */
  get params(): Readonly<Record<string, JsonValue>> {
    return this.current.params;
  }
  /** Distributions of the parameters suggested so far. */
  get distributions(): Readonly<Record<string, Distribution>> {
    return this.current.distributions;
  }
  get userAttrs(): Readonly<Record<string, JsonValue>> {
    return this.current.userAttrs;
  }
  get systemAttrs(): Readonly<Record<string, JsonValue>> {
    return this.current.systemAttrs;
  }
  get datetimeStart(): Date | undefined {
    return this.current.datetimeStart;
  }

  /** Marks the trial finished: later suggests and reports are errors. (Used by the study.) */
  markFinished(state: string): void {
    this.finishedState = state;
  }

  private assertRunning(what: string): void {
    if (this.finishedState !== undefined) {
      throw new TrialError(
        `trial ${this.number} has already finished (${this.finishedState}); ${what} is not allowed any more`,
        {
          code: "trial_finished",
        },
      );
    }
  }

  private checkName(name: unknown): asserts name is string {
    if (typeof name !== "string" || name === "") {
      throw new TrialError(
        `a parameter name must be a non-empty string, got ${formatValue(name)}`,
        { code: "invalid_name" },
      );
    }
  }

  /**
   * A float in [low, high]; `log` samples in log space, `step` on a grid anchored at `low`.
   * @throws TrialError for low > high, step with log, or the same name used with another
   * distribution (in this trial or an earlier one).
   * @example
   * const lr = trial.suggestFloat("lr", 1e-5, 1e-1, { log: true });
   */
  suggestFloat(
    name: string,
    low: number,
    high: number,
    options: SuggestNumberOptions = {},
  ): number {
    this.checkName(name);
    const distribution = this.build(
      name,
      () => new FloatDistribution(low, high, readNumberOptions(options, name)),
    );
    return this.suggest(name, distribution) as number;
  }

  /**
   * An integer in [low, high]; `step` (default 1) makes a grid anchored at `low`.
   * @example
   * const layers = trial.suggestInt("layers", 1, 8);
   */
  suggestInt(name: string, low: number, high: number, options: SuggestNumberOptions = {}): number {
    this.checkName(name);
    const distribution = this.build(
      name,
      () => new IntDistribution(low, high, readNumberOptions(options, name)),
    );
    return this.suggest(name, distribution) as number;
  }

  /**
   * One of `choices` (JSON-like values, kept with their type: `1` and `"1"` differ). Optional
   * `weights` are passed on to samplers that use them.
   * @example
   * const opt = trial.suggestCategorical("optimizer", ["adam", "sgd"]);
   */
  suggestCategorical<const T extends JsonValue>(
    name: string,
    choices: readonly T[],
    _options?: SuggestCategoricalOptions,
  ): T {
    this.checkName(name);
    const distribution = this.build(name, () => {
      if (!Array.isArray(choices))
        throw new SpaxError(`choices must be an array, got ${formatValue(choices)}`, {
          code: "invalid_choices",
        });
      return new CategoricalDistribution(
        choices.map((c, i) => freezeJson(c, [name, i], "a choice")),
      );
    });
    return this.suggest(name, distribution) as T;
  }

  /** Builds a distribution, turning argument errors into trial errors that name the parameter. */
  private build(name: string, make: () => Distribution): Distribution {
    this.assertRunning(`suggesting ${JSON.stringify(name)}`);
    try {
      return make();
    } catch (cause) {
      if (!(cause instanceof SpaxError)) throw cause;
      throw new TrialError(`parameter ${JSON.stringify(name)}: ${cause.message}`, {
        code: cause.code,
        cause,
      });
    }
  }

  private suggest(name: string, distribution: Distribution): JsonValue {
    const seen = this.current.distributions[name];
    if (seen !== undefined) {
      if (distributionToJSON(seen) !== distributionToJSON(distribution)) {
        throw new TrialError(
          `parameter ${JSON.stringify(name)} was already suggested in trial ${this.number} as ${describe(seen)}; it cannot be suggested again as ${describe(distribution)}`,
          { code: "distribution_changed" },
        );
      }
      return this.current.params[name]!;
    }
    this.host.checkDistribution(this, name, distribution, false);
    let value: JsonValue;
    if (Object.hasOwn(this.fixedParams, name)) {
      value = this.fixedParams[name]!;
      if (!distribution.contains(value)) {
        throw new TrialError(
          `the fixed (enqueued) value ${formatValue(value)} of ${JSON.stringify(name)} is not in ${describe(distribution)}; it is never cast or resampled`,
          { code: "fixed_param_outside" },
        );
      }
      if (distribution.kind === "categorical")
        value = distribution.choices[distribution.indexOf(value)]!;
    } else if (distribution.single()) {
      value = distribution.kind === "categorical" ? distribution.choices[0]! : distribution.low;
    } else {
      value = this.host.sampleParam(this, name, distribution);
      if (!distribution.contains(value)) {
        throw new TrialError(
          `the sampler proposed ${formatValue(value)} for ${JSON.stringify(name)}, outside ${describe(distribution)}`,
          {
            code: "sampler_out_of_space",
          },
        );
      }
    }
    const internal = distribution.toInternal(value as never);
    // Only an accepted value makes this the parameter's distribution for the study.
    this.host.checkDistribution(this, name, distribution, true);
    const snapshot: FrozenTrial = {
      ...this.current,
      params: { ...this.current.params, [name]: value },
      distributions: { ...this.current.distributions, [name]: distribution },
    };
    this.current = snapshot;
    this.host.update(this, snapshot, (storage) =>
      storage.setTrialParam(this.trialId, name, internal, distribution),
    );
    return value;
  }

  /**
   * Reports an intermediate objective value at `step` (for pruning and plots). A second report
   * for the same step is ignored, as in Optuna.
   * @throws TrialError after the trial has finished, or for a step that is not a non-negative integer.
   */
  report(value: number, step: number): void {
    this.assertRunning("report()");
    if (typeof value !== "number") {
      throw new TrialError(`report() needs a number, got ${formatValue(value)}`, {
        code: "invalid_value",
      });
    }
    if (!Number.isSafeInteger(step) || step < 0) {
      throw new TrialError(
        `report() needs a step that is a non-negative integer, got ${formatValue(step)}`,
        { code: "invalid_step" },
      );
    }
    if (this.current.intermediateValues.has(step)) return;
    const intermediateValues = new Map(this.current.intermediateValues);
    intermediateValues.set(step, value);
    this.current = { ...this.current, intermediateValues };
    this.host.update(this, this.current, (storage) =>
      storage.setTrialIntermediateValue(this.trialId, step, value),
    );
  }

  /** Whether the study's pruner says to stop this trial now (then `throw new sp.TrialPruned()`). */
  shouldPrune(): boolean {
    this.assertRunning("shouldPrune()");
    return this.host.shouldPrune(this);
  }

  /** Attaches a JSON-like user attribute to the trial. */
  setUserAttr(key: string, value: JsonValue): void {
    this.assertRunning("setUserAttr()");
    const v = freezeJson(value, [key], "a user attribute");
    this.current = { ...this.current, userAttrs: { ...this.current.userAttrs, [key]: v } };
    this.host.update(this, this.current, (storage) =>
      storage.setTrialUserAttr(this.trialId, key, v),
    );
  }

  /** Attaches a system attribute (used by samplers and spax itself). */
  setSystemAttr(key: string, value: JsonValue): void {
    const v = freezeJson(value, [key], "a system attribute");
    this.current = { ...this.current, systemAttrs: { ...this.current.systemAttrs, [key]: v } };
    this.host.update(this, this.current, (storage) =>
      storage.setTrialSystemAttr(this.trialId, key, v),
    );
  }
}

function readNumberOptions(
  options: SuggestNumberOptions,
  name: string,
): { log?: boolean; step?: number } {
  optionsObject(options, `parameter ${JSON.stringify(name)}`, TrialError, ["log", "step"]);
  const { log, step } = options;
  if (log === true && step !== undefined && step !== 1) {
    throw new TrialError(`parameter ${JSON.stringify(name)}: step cannot be combined with log`, {
      code: "step_with_log",
    });
  }
  return { ...(log !== undefined ? { log } : {}), ...(step !== undefined ? { step } : {}) };
}

/** `float [1e-5, 0.1] (log)`, `int [1, 8] (step 2)`, `categorical ['a', 'b']`: for messages. */
export function describe(d: Distribution): string {
  if (d.kind === "categorical") return `categorical ${formatValue(d.choices)}`;
  const extras = [
    d.log ? "log" : "",
    d.step !== undefined && !(d.kind === "int" && d.step === 1) ? `step ${d.step}` : "",
  ].filter(Boolean);
  return `${d.kind} [${d.low}, ${d.high}]${extras.length > 0 ? ` (${extras.join(", ")})` : ""}`;
}
