/**
 * The sampler contract (Optuna's three seams) and what samplers and pruners may see of a study.
 * @module
 */
import type { ConfigSpace } from "../space/config.js";
import type { JsonValue } from "../space/values.js";
import type { Distribution } from "./distributions.js";
import type { FrozenTrial, StudyDirection, TrialState } from "./frozen-trial.js";

/**
 * What samplers and pruners see of a study: its directions, its space when the study is
 * space-first, and its trials. `getTrials` is synchronous: it returns the study's snapshot of
 * its trials in number order (refreshed from storage before each trial starts, and updated as
 * this process's trials change), including RUNNING trials of other workers.
 */
export interface StudyView {
  readonly directions: readonly StudyDirection[];
  /** The config space of a space-first study (`createStudy({ space })`), else `undefined`. */
  readonly space: ConfigSpace<string, any, unknown> | undefined;
  /** Trials in number order, optionally only those in `states`. Do not mutate. */
  getTrials(states?: readonly TrialState[]): readonly FrozenTrial[];
  /**
   * Records a system attribute on a trial of this study (e.g. a grid sampler's `grid_id`). The
   * change is visible in `getTrials()` at once and written to storage in the background.
   */
  setTrialSystemAttr(trialId: number, key: string, value: JsonValue): void;
  /** Asks the running `optimize` to start no new trials (e.g. a grid is exhausted). */
  stop(): void;
}

/**
 * A sampler proposes parameter values. As in Optuna, a trial first gets a joint
 * ("relative") sample for the search space the sampler infers, then asks the sampler
 * independently for any parameter outside it.
 *
 * Randomness must derive from the sampler's seed and the trial's number (see
 * `trialRandom`), so one run of 50 trials equals 25 + 25 across a resume, and concurrent
 * trials never draw alike.
 */
export interface Sampler {
  /** The parameters to sample jointly for `trial` (may be `{}`). */
  inferRelativeSearchSpace(study: StudyView, trial: FrozenTrial): Record<string, Distribution>;
  /** Joint values for (a subset of) `searchSpace`, as user values (categoricals as choices). */
  sampleRelative(
    study: StudyView,
    trial: FrozenTrial,
    searchSpace: Record<string, Distribution>,
  ): Record<string, JsonValue>;
  /** One value for a parameter outside the relative sample. */
  sampleIndependent(
    study: StudyView,
    trial: FrozenTrial,
    name: string,
    distribution: Distribution,
  ): JsonValue;
  /** Called when a trial starts (after enqueued params are known). */
  beforeTrial?(study: StudyView, trial: FrozenTrial): void;
  /** Called when a trial ends, before its state is stored. */
  afterTrial?(
    study: StudyView,
    trial: FrozenTrial,
    state: TrialState,
    values: readonly number[] | undefined,
  ): void;
}

/**
 * A pruner decides, from a trial's intermediate values and the study's other trials, whether
 * to stop the trial early. It is asked by `trial.shouldPrune()`.
 */
export interface Pruner {
  prune(study: StudyView, trial: FrozenTrial): boolean;
}
