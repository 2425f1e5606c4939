// A plain StudyView over an array of FrozenTrial records, for pruner tests. It behaves like
// Optuna's in-memory storage: trials are immutable records, replaced (never mutated) when a
// report, a system attribute or the final state changes; getTrials returns a fresh array.

import type { JsonValue } from "../../../src/space/values.js";
import type { FrozenTrial, StudyDirection, TrialState } from "../../../src/study/frozen-trial.js";
import type { StudyView } from "../../../src/study/sampler.js";

/** Trial ids are offset from numbers so that a pruner mixing them up is caught. */
export const TRIAL_ID_OFFSET = 1000;

export interface TrialInit {
  state?: TrialState;
  value?: number;
  /** Intermediate values: an array is reported at steps 0, 1, 2, …; a map or pairs as given. */
  curve?: readonly number[] | ReadonlyMap<number, number> | readonly (readonly [number, number])[];
  systemAttrs?: Record<string, JsonValue>;
}

function toMap(curve: TrialInit["curve"]): Map<number, number> {
  if (curve === undefined) return new Map();
  if (curve instanceof Map) return new Map(curve);
  const list = curve as readonly (number | readonly [number, number])[];
  return new Map(list.map((x, i) => (typeof x === "number" ? [i, x] : [x[0], x[1]])));
}

export class FakeStudy implements StudyView {
  readonly space = undefined;
  readonly trials: FrozenTrial[] = [];
  /** Every setTrialSystemAttr call, in order. */
  readonly writes: { trialId: number; key: string; value: JsonValue }[] = [];
  stopped = false;

  constructor(readonly directions: readonly StudyDirection[] = ["minimize"]) {}

  getTrials(states?: readonly TrialState[]): readonly FrozenTrial[] {
    return states ? this.trials.filter((t) => states.includes(t.state)) : [...this.trials];
  }

  setTrialSystemAttr(trialId: number, key: string, value: JsonValue): void {
    const i = this.trials.findIndex((t) => t.trialId === trialId);
    if (i < 0) throw new Error(`no trial with id ${trialId}`);
    const t = this.trials[i]!;
    this.writes.push({ trialId, key, value });
    this.trials[i] = { ...t, systemAttrs: { ...t.systemAttrs, [key]: value } };
  }

  stop(): void {
    this.stopped = true;
  }

  /** Adds a trial (COMPLETE by default; `value` defaults to the last intermediate value). */
  add(init: TrialInit = {}): FrozenTrial {
    const number = this.trials.length;
    const state = init.state ?? "COMPLETE";
    const intermediateValues = toMap(init.curve);
    let value = init.value;
    if (value === undefined && state === "COMPLETE") {
      const steps = [...intermediateValues.keys()];
      value = steps.length ? intermediateValues.get(Math.max(...steps)) : 0;
    }
    const trial: FrozenTrial = {
      trialId: number + TRIAL_ID_OFFSET,
      number,
      state,
      values: value === undefined ? undefined : [value],
      datetimeStart: new Date(0),
      datetimeComplete: state === "RUNNING" || state === "WAITING" ? undefined : new Date(0),
      params: {},
      distributions: {},
      userAttrs: {},
      systemAttrs: { ...init.systemAttrs },
      intermediateValues,
    };
    this.trials.push(trial);
    return trial;
  }

  /** Adds several COMPLETE trials with these curves. */
  complete(...curves: NonNullable<TrialInit["curve"]>[]): void {
    for (const curve of curves) this.add({ curve });
  }

  /** Starts a RUNNING trial, optionally with reports already made. */
  ask(curve?: TrialInit["curve"]): number {
    return this.add({ state: "RUNNING", curve }).number;
  }

  /** The current record of trial `number`. */
  trial(number: number): FrozenTrial {
    return this.trials[number]!;
  }

  report(number: number, step: number, value: number): FrozenTrial {
    const t = this.trials[number]!;
    const intermediateValues = new Map(t.intermediateValues);
    intermediateValues.set(step, value);
    this.trials[number] = { ...t, intermediateValues };
    return this.trials[number]!;
  }

  tell(number: number, state: TrialState, value: number | undefined): void {
    const t = this.trials[number]!;
    this.trials[number] = {
      ...t,
      state,
      values: value === undefined ? undefined : [value],
      datetimeComplete: new Date(0),
    };
  }
}
