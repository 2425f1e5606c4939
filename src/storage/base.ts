/**
 * The storage contract. Every backend (memory, SQLite, PostgreSQL) implements this interface
 * and passes the same conformance suite; the study never knows which one it talks to.
 *
 * Contract (as Optuna's `BaseStorage`):
 * - Methods are safe to call from concurrent async tasks and, for persistent backends, from
 *   several processes at once.
 * - Returned trials and studies are snapshots: mutating them changes nothing stored.
 * - A finished trial (COMPLETE, PRUNED, FAIL) is frozen: changing its state, values, params,
 *   intermediate values or attributes throws {@link TrialFinishedError}.
 * - Trial numbers are 0, 1, 2, … per study, unique and gap-free under any concurrency.
 * - `popWaitingTrial` hands each WAITING trial to exactly one caller.
 * - Unknown ids throw {@link NotFoundError}; a duplicate study name throws {@link DuplicateStudyError}.
 * @module
 */
import { SpaxError } from "../errors.js";
import type { JsonValue } from "../space/values.js";
import type { Distribution } from "../study/distributions.js";
import type {
  FrozenTrial,
  StudyDirection,
  StudySummary,
  TrialState,
  TrialTemplate,
} from "../study/frozen-trial.js";

/** A study or trial id that the storage does not hold. */
export class NotFoundError extends SpaxError {
  override name = "NotFoundError";
}

/** A study with that name exists already. */
export class DuplicateStudyError extends SpaxError {
  override name = "DuplicateStudyError";
}

/** A finished trial cannot change. */
export class TrialFinishedError extends SpaxError {
  override name = "TrialFinishedError";
}

/** Why a trial failed when its worker stopped sending heartbeats. */
export const STALE_REASON = "the worker stopped sending heartbeats (killed, crashed or pre-empted)";

/** Where studies and trials live. */
export interface Storage {
  /** Creates a study; throws {@link DuplicateStudyError} if the name is taken. Returns its id. */
  createStudy(name: string, directions: readonly StudyDirection[]): Promise<number>;
  /** Deletes a study and all its trials. */
  deleteStudy(studyId: number): Promise<void>;
  /** The id of the study named `name`, or `undefined`. */
  getStudyId(name: string): Promise<number | undefined>;
  /** Every study, with its trial count. */
  getAllStudies(): Promise<StudySummary[]>;
  /** One study. */
  getStudy(studyId: number): Promise<StudySummary>;
  setStudyUserAttr(studyId: number, key: string, value: JsonValue): Promise<void>;
  setStudySystemAttr(studyId: number, key: string, value: JsonValue): Promise<void>;

  /** Creates a trial (RUNNING unless the template says otherwise) with the next number. */
  createTrial(studyId: number, template?: TrialTemplate): Promise<FrozenTrial>;
  /** Atomically takes the oldest WAITING trial and makes it RUNNING; `undefined` if none. */
  popWaitingTrial(studyId: number): Promise<FrozenTrial | undefined>;
  /** Records a parameter (its internal float, as Optuna stores it, and its distribution). */
  setTrialParam(
    trialId: number,
    name: string,
    internal: number,
    distribution: Distribution,
  ): Promise<void>;
  /**
   * Moves a trial to `state` with `values`. Returns false (and changes nothing) when the trial
   * is not in a state that may move there (e.g. RUNNING requested for a trial no longer WAITING).
   */
  setTrialState(trialId: number, state: TrialState, values?: readonly number[]): Promise<boolean>;
  setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void>;
  setTrialUserAttr(trialId: number, key: string, value: JsonValue): Promise<void>;
  setTrialSystemAttr(trialId: number, key: string, value: JsonValue): Promise<void>;
  /** One trial. */
  getTrial(trialId: number): Promise<FrozenTrial>;
  /**
   * The study's trials in number order, optionally only those in `states` and those numbered
   * `fromNumber` or later (a study refreshing its view re-reads only trials that may change).
   */
  getAllTrials(
    studyId: number,
    states?: readonly TrialState[],
    fromNumber?: number,
  ): Promise<FrozenTrial[]>;
  /**
   * Records that a RUNNING trial's worker is alive (its heartbeat), with the storage's clock
   * (the database server's for PostgreSQL, so workers' clocks need not agree).
   */
  recordHeartbeat(trialId: number): Promise<void>;
  /**
   * Fails the study's RUNNING trials whose last heartbeat is older than `graceSeconds` (their
   * workers died: killed, crashed, pre-empted) and returns them as they were before, so their
   * parameters can be retried. Atomic: each stale trial is failed by exactly one caller.
   */
  failStaleTrials(studyId: number, graceSeconds: number): Promise<FrozenTrial[]>;
  /** Releases connections and handles. */
  close(): Promise<void>;
}
