/**
 * A minimal study loop for sampler tests (shared by the CMA-ES and NSGA-II tests): a
 * `StudyView` over an array of trials, and Optuna's order of sampler calls per trial.
 */
import type { JsonValue } from "../../../src/space/values.js";
import type { Distribution } from "../../../src/study/distributions.js";
import type { FrozenTrial, StudyDirection, TrialState } from "../../../src/study/frozen-trial.js";
import type { Sampler, StudyView } from "../../../src/study/sampler.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Define-by-run access to the sampler, as `trial.suggest*` would give. */
export type Suggest = (name: string, distribution: Distribution) => JsonValue;

export class FakeStudy implements StudyView {
  readonly space = undefined;
  readonly trials: FrozenTrial[] = [];

  constructor(readonly directions: readonly StudyDirection[]) {}

  getTrials(states?: readonly TrialState[]): readonly FrozenTrial[] {
    return states === undefined ? this.trials : this.trials.filter((t) => states.includes(t.state));
  }

  setTrialSystemAttr(trialId: number, key: string, value: JsonValue): void {
    const i = this.trials.findIndex((t) => t.trialId === trialId);
    const t = this.trials[i]!;
    this.trials[i] = { ...t, systemAttrs: { ...t.systemAttrs, [key]: value } };
  }

  stop(): void {}

  /** Runs `n` trials of `objective` with `sampler`, appending COMPLETE trials. */
  optimize(sampler: Sampler, objective: (suggest: Suggest) => number[], n: number): this {
    for (let k = 0; k < n; k++) this.runTrial(sampler, objective);
    return this;
  }

  runTrial(sampler: Sampler, objective: (suggest: Suggest) => number[]): FrozenTrial {
    const number = this.trials.length;
    const running: Mutable<FrozenTrial> = {
      trialId: 1000 + number,
      number,
      state: "RUNNING",
      values: undefined,
      datetimeStart: new Date(0),
      datetimeComplete: undefined,
      params: {},
      distributions: {},
      userAttrs: {},
      systemAttrs: {},
      intermediateValues: new Map(),
    };
    this.trials.push(running);
    const snapshot = () => this.trials[number]!;
    sampler.beforeTrial?.(this, snapshot());
    const space = sampler.inferRelativeSearchSpace(this, snapshot());
    const relative = sampler.sampleRelative(this, snapshot(), space);
    const params: Record<string, JsonValue> = {};
    const distributions: Record<string, Distribution> = {};
    const suggest: Suggest = (name, distribution) => {
      const value =
        name in relative && name in space
          ? relative[name]!
          : sampler.sampleIndependent(this, snapshot(), name, distribution);
      params[name] = value;
      distributions[name] = distribution;
      return value;
    };
    const values = objective(suggest);
    const done = { ...snapshot(), params, distributions };
    this.trials[number] = done;
    sampler.afterTrial?.(this, this.trials[number]!, "COMPLETE", values);
    const complete: FrozenTrial = {
      ...this.trials[number]!,
      state: "COMPLETE",
      values,
      datetimeComplete: new Date(0),
    };
    this.trials[number] = complete;
    return complete;
  }
}

/** Copies of the trials with system attrs and params only (for equality checks). */
export function summary(trials: readonly FrozenTrial[]): unknown[] {
  return trials.map((t) => ({
    number: t.number,
    params: t.params,
    values: t.values,
    systemAttrs: t.systemAttrs,
  }));
}
