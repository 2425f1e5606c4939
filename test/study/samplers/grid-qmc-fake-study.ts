/**
 * A small study loop for the grid and QMC sampler tests: a `StudyView` over an array of trials
 * and trials that call the sampler in Optuna's order (beforeTrial, relative search space and
 * sample, then `suggest*` → relative value or `sampleIndependent`). Trials can be left RUNNING
 * while others start, to simulate an async objective under `concurrency`.
 */
import type { SpaceSampler, SuggestNumberOptions } from "../../../src/sample/sampler.js";
import type { ConfigSpace } from "../../../src/space/config.js";
import type { JsonValue } from "../../../src/space/values.js";
import {
  CategoricalDistribution,
  type Distribution,
  FloatDistribution,
  IntDistribution,
} from "../../../src/study/distributions.js";
import type { FrozenTrial, TrialState } from "../../../src/study/frozen-trial.js";
import type { Sampler, StudyView } from "../../../src/study/sampler.js";

export class FakeStudy implements StudyView {
  readonly directions = ["minimize"] as const;
  readonly trials: FrozenTrial[] = [];
  stopCalls = 0;

  constructor(readonly space: ConfigSpace<string, any, unknown> | undefined = undefined) {}

  get stopped(): boolean {
    return this.stopCalls > 0;
  }

  getTrials(states?: readonly TrialState[]): readonly FrozenTrial[] {
    return states === undefined ? this.trials : this.trials.filter((t) => states.includes(t.state));
  }

  setTrialSystemAttr(trialId: number, key: string, value: JsonValue): void {
    this.update(trialId, (t) => ({ ...t, systemAttrs: { ...t.systemAttrs, [key]: value } }));
  }

  stop(): void {
    this.stopCalls++;
  }

  update(trialId: number, change: (t: FrozenTrial) => FrozenTrial): void {
    const i = this.trials.findIndex((t) => t.trialId === trialId);
    if (i < 0) throw new Error(`no trial ${trialId}`);
    this.trials[i] = change(this.trials[i]!);
  }

  /** Starts a trial (RUNNING): beforeTrial and the relative sample, as Optuna does. */
  start(sampler: Sampler, options: { fixedParams?: Record<string, JsonValue> } = {}): FakeTrial {
    const number = this.trials.length;
    const trial: FrozenTrial = {
      trialId: 100 + number,
      number,
      state: "RUNNING",
      values: undefined,
      datetimeStart: new Date(0),
      datetimeComplete: undefined,
      params: {},
      distributions: {},
      userAttrs: {},
      systemAttrs: options.fixedParams ? { fixed_params: options.fixedParams } : {},
      intermediateValues: new Map(),
    };
    this.trials.push(trial);
    return new FakeTrial(this, sampler, trial.trialId, options.fixedParams ?? {});
  }

  /** Adds a finished trial as another process (or an earlier run) left it. */
  addFinished(template: Partial<FrozenTrial>): void {
    const number = this.trials.length;
    this.trials.push({
      trialId: 100 + number,
      number,
      state: "COMPLETE",
      values: [0],
      datetimeStart: new Date(0),
      datetimeComplete: new Date(0),
      params: {},
      distributions: {},
      userAttrs: {},
      systemAttrs: {},
      intermediateValues: new Map(),
      ...template,
    });
  }
}

/** A running trial with Optuna-style `suggest*` (a `SpaceSampler`, so `space.fromTrial` works). */
export class FakeTrial implements SpaceSampler {
  private readonly relative: Record<string, JsonValue>;
  private readonly relativeSpace: Record<string, Distribution>;

  constructor(
    readonly study: FakeStudy,
    readonly sampler: Sampler,
    readonly trialId: number,
    private readonly fixed: Record<string, JsonValue>,
  ) {
    sampler.beforeTrial?.(study, this.snapshot);
    this.relativeSpace = sampler.inferRelativeSearchSpace(study, this.snapshot);
    this.relative = sampler.sampleRelative(study, this.snapshot, this.relativeSpace);
  }

  get snapshot(): FrozenTrial {
    return this.study.trials.find((t) => t.trialId === this.trialId)!;
  }

  get number(): number {
    return this.snapshot.number;
  }

  get params(): Readonly<Record<string, JsonValue>> {
    return this.snapshot.params;
  }

  suggest(name: string, distribution: Distribution): JsonValue {
    const done = this.snapshot.params;
    if (name in done) return done[name]!;
    let value: JsonValue;
    if (name in this.fixed) value = this.fixed[name]!;
    else if (
      name in this.relative &&
      name in this.relativeSpace &&
      distribution.contains(this.relative[name])
    ) {
      value = this.relative[name]!;
    } else value = this.sampler.sampleIndependent(this.study, this.snapshot, name, distribution);
    if (!distribution.contains(value)) {
      throw new Error(
        `sampler gave ${JSON.stringify(value)} for ${name}, outside its distribution`,
      );
    }
    this.study.update(this.trialId, (t) => ({
      ...t,
      params: { ...t.params, [name]: value },
      distributions: { ...t.distributions, [name]: distribution },
    }));
    return value;
  }

  suggestFloat(
    name: string,
    low: number,
    high: number,
    options: SuggestNumberOptions = {},
  ): number {
    return this.suggest(name, new FloatDistribution(low, high, options)) as number;
  }

  suggestInt(name: string, low: number, high: number, options: SuggestNumberOptions = {}): number {
    return this.suggest(name, new IntDistribution(low, high, options)) as number;
  }

  suggestCategorical(name: string, choices: readonly any[]): any {
    return this.suggest(name, new CategoricalDistribution(choices));
  }

  /** Ends the trial: afterTrial, then the state is stored. */
  finish(state: TrialState = "COMPLETE", value = 0): FrozenTrial {
    const values = state === "COMPLETE" ? [value] : undefined;
    this.sampler.afterTrial?.(this.study, this.snapshot, state, values);
    this.study.update(this.trialId, (t) => ({
      ...t,
      state,
      values,
      datetimeComplete: new Date(0),
    }));
    return this.snapshot;
  }
}
