/**
 * Plain records of trials and studies, with Optuna's vocabulary: trial states, study
 * directions, and the frozen (snapshot) view of a trial that storages return and samplers read.
 * @module
 */
import type { JsonValue } from "../space/values.js";
import type { Distribution } from "./distributions.js";

/** A trial's state, named as Optuna names them (and stores them). */
export type TrialState = "RUNNING" | "COMPLETE" | "PRUNED" | "FAIL" | "WAITING";

/** The states a trial cannot leave. */
export const FINISHED_STATES: readonly TrialState[] = ["COMPLETE", "PRUNED", "FAIL"];

/** Whether a state is final. */
export function isFinished(state: TrialState): boolean {
  return state === "COMPLETE" || state === "PRUNED" || state === "FAIL";
}

/** Whether to minimize or maximize an objective. */
export type StudyDirection = "minimize" | "maximize";

/**
 * A snapshot of a trial. Storages return fresh snapshots; a finished trial never changes.
 * `params` hold user values (categoricals as their real choices); `distributions` say how each
 * was drawn.
 */
export interface FrozenTrial {
  /** Unique across the storage. */
  readonly trialId: number;
  /** 0, 1, 2, … within its study, in creation order, without gaps. */
  readonly number: number;
  readonly state: TrialState;
  /** Objective values (one per direction); `undefined` until the trial completes. */
  readonly values: readonly number[] | undefined;
  readonly datetimeStart: Date | undefined;
  readonly datetimeComplete: Date | undefined;
  readonly params: Readonly<Record<string, JsonValue>>;
  readonly distributions: Readonly<Record<string, Distribution>>;
  readonly userAttrs: Readonly<Record<string, JsonValue>>;
  readonly systemAttrs: Readonly<Record<string, JsonValue>>;
  /** Reported intermediate values by step. */
  readonly intermediateValues: ReadonlyMap<number, number>;
}

/** The single objective value of a trial, or `undefined`. */
export function trialValue(trial: FrozenTrial): number | undefined {
  return trial.values?.[0];
}

/** What a storage knows of a study. */
export interface StudySummary {
  readonly studyId: number;
  readonly name: string;
  readonly directions: readonly StudyDirection[];
  readonly userAttrs: Readonly<Record<string, JsonValue>>;
  readonly systemAttrs: Readonly<Record<string, JsonValue>>;
  readonly nTrials: number;
  readonly datetimeStart: Date | undefined;
}

/** The parts of a trial fixed at creation (enqueued trials, `addTrial`, retries). */
export interface TrialTemplate {
  state?: TrialState;
  values?: readonly number[];
  params?: Readonly<Record<string, JsonValue>>;
  distributions?: Readonly<Record<string, Distribution>>;
  userAttrs?: Readonly<Record<string, JsonValue>>;
  systemAttrs?: Readonly<Record<string, JsonValue>>;
  intermediateValues?: ReadonlyMap<number, number>;
  datetimeStart?: Date;
  datetimeComplete?: Date;
}
