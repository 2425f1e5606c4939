/**
 * In-memory storage: the default, for one process. Trials are kept as frozen snapshots that
 * are rebuilt only when a trial changes, so reading a study's history costs no copying.
 * @module
 */
import { formatValue } from "../errors.js";
import type { JsonValue } from "../space/values.js";
import type { Distribution } from "../study/distributions.js";
import {
  type FrozenTrial,
  isFinished,
  type StudyDirection,
  type StudySummary,
  type TrialState,
  type TrialTemplate,
} from "../study/frozen-trial.js";
import {
  DuplicateStudyError,
  NotFoundError,
  STALE_REASON,
  type Storage,
  TrialFinishedError,
} from "./base.js";

interface StudyRecord {
  id: number;
  name: string;
  directions: StudyDirection[];
  userAttrs: Record<string, JsonValue>;
  systemAttrs: Record<string, JsonValue>;
  trials: TrialRecord[];
}

interface TrialRecord {
  studyId: number;
  snapshot: FrozenTrial;
}

/**
 * A deep, frozen copy of a stored value: callers' later mutations of what they passed in, or
 * of what they got back, never reach the storage. (Not `freezeJson`: system attributes may
 * hold ±Infinity, as Optuna's pruners write them.)
 */
function frozenCopy<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  const copy: any = Array.isArray(value) ? value.map(frozenCopy) : {};
  if (!Array.isArray(value))
    for (const k of Object.keys(value)) copy[k] = frozenCopy((value as any)[k]);
  return Object.freeze(copy);
}

/** A Map whose mutators throw: snapshots share it safely. */
function frozenMap<K, V>(entries: Iterable<readonly [K, V]>): ReadonlyMap<K, V> {
  const map = new Map(entries);
  const refuse = () => {
    throw new TypeError("a trial snapshot's intermediate values are read-only");
  };
  Object.defineProperties(map, {
    set: { value: refuse },
    delete: { value: refuse },
    clear: { value: refuse },
  });
  return Object.freeze(map);
}

function freeze(t: FrozenTrial): FrozenTrial {
  return Object.freeze({
    ...t,
    params: frozenCopy({ ...t.params }),
    distributions: Object.freeze({ ...t.distributions }),
    userAttrs: frozenCopy({ ...t.userAttrs }),
    systemAttrs: frozenCopy({ ...t.systemAttrs }),
    values: t.values === undefined ? undefined : Object.freeze([...t.values]),
    intermediateValues: frozenMap(t.intermediateValues),
  });
}

/**
 * Storage in this process's memory (`storage: "memory"`, the default).
 * @example
 * const study = await sp.createStudy({ storage: new sp.MemoryStorage() });
 */
export class MemoryStorage implements Storage {
  private readonly studies = new Map<number, StudyRecord>();
  private readonly trials: TrialRecord[] = [];
  private nextStudyId = 1;

  private study(studyId: number): StudyRecord {
    const s = this.studies.get(studyId);
    if (!s)
      throw new NotFoundError(`no study with id ${formatValue(studyId)}`, {
        code: "study_not_found",
      });
    return s;
  }

  private trial(trialId: number): TrialRecord {
    const t = Number.isInteger(trialId) ? this.trials[trialId] : undefined;
    // Trials of a deleted study are gone too.
    if (!t || !this.studies.has(t.studyId))
      throw new NotFoundError(`no trial with id ${formatValue(trialId)}`, {
        code: "trial_not_found",
      });
    return t;
  }

  /** Applies `change` to a trial that is not finished, then refreshes its snapshot. */
  private update(trialId: number, change: (t: FrozenTrial) => FrozenTrial): void {
    const rec = this.trial(trialId);
    if (isFinished(rec.snapshot.state)) {
      throw new TrialFinishedError(
        `trial ${rec.snapshot.number} is already ${rec.snapshot.state}; it cannot change`,
        {
          code: "trial_finished",
        },
      );
    }
    rec.snapshot = freeze(change(rec.snapshot));
  }

  async createStudy(name: string, directions: readonly StudyDirection[]): Promise<number> {
    for (const s of this.studies.values()) {
      if (s.name === name)
        throw new DuplicateStudyError(`a study named ${JSON.stringify(name)} exists already`, {
          code: "duplicate_study",
        });
    }
    const id = this.nextStudyId++;
    this.studies.set(id, {
      id,
      name,
      directions: [...directions],
      userAttrs: {},
      systemAttrs: {},
      trials: [],
    });
    return id;
  }

  async deleteStudy(studyId: number): Promise<void> {
    this.study(studyId);
    this.studies.delete(studyId);
  }

  async getStudyId(name: string): Promise<number | undefined> {
    for (const s of this.studies.values()) if (s.name === name) return s.id;
    return undefined;
  }

  private summary(s: StudyRecord): StudySummary {
    return {
      studyId: s.id,
      name: s.name,
      directions: [...s.directions],
      userAttrs: frozenCopy({ ...s.userAttrs }),
      systemAttrs: frozenCopy({ ...s.systemAttrs }),
      nTrials: s.trials.length,
      datetimeStart: s.trials[0]?.snapshot.datetimeStart,
    };
  }

  async getAllStudies(): Promise<StudySummary[]> {
    return [...this.studies.values()].map((s) => this.summary(s));
  }

  async getStudy(studyId: number): Promise<StudySummary> {
    return this.summary(this.study(studyId));
  }

  async setStudyUserAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    this.study(studyId).userAttrs[key] = frozenCopy(value);
  }

  async setStudySystemAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    this.study(studyId).systemAttrs[key] = frozenCopy(value);
  }

  async createTrial(studyId: number, template: TrialTemplate = {}): Promise<FrozenTrial> {
    const s = this.study(studyId);
    const state = template.state ?? "RUNNING";
    const snapshot = freeze({
      trialId: this.trials.length,
      number: s.trials.length,
      state,
      values: template.values,
      datetimeStart: template.datetimeStart ?? (state === "WAITING" ? undefined : new Date()),
      datetimeComplete: template.datetimeComplete ?? (isFinished(state) ? new Date() : undefined),
      params: template.params ?? {},
      distributions: template.distributions ?? {},
      userAttrs: template.userAttrs ?? {},
      systemAttrs: template.systemAttrs ?? {},
      intermediateValues: template.intermediateValues ?? new Map(),
    });
    const rec = { studyId, snapshot };
    this.trials.push(rec);
    s.trials.push(rec);
    return snapshot;
  }

  async popWaitingTrial(studyId: number): Promise<FrozenTrial | undefined> {
    const waiting = this.study(studyId).trials.find((t) => t.snapshot.state === "WAITING");
    if (!waiting) return undefined;
    waiting.snapshot = freeze({ ...waiting.snapshot, state: "RUNNING", datetimeStart: new Date() });
    return waiting.snapshot;
  }

  async setTrialParam(
    trialId: number,
    name: string,
    internal: number,
    distribution: Distribution,
  ): Promise<void> {
    this.update(trialId, (t) => ({
      ...t,
      params: { ...t.params, [name]: distribution.fromInternal(internal) as JsonValue },
      distributions: { ...t.distributions, [name]: distribution },
    }));
  }

  async setTrialState(
    trialId: number,
    state: TrialState,
    values?: readonly number[],
  ): Promise<boolean> {
    const rec = this.trial(trialId);
    const current = rec.snapshot.state;
    if (isFinished(current)) {
      throw new TrialFinishedError(
        `trial ${rec.snapshot.number} is already ${current}; it cannot change`,
        { code: "trial_finished" },
      );
    }
    if (state === "RUNNING" && current !== "WAITING") return false;
    rec.snapshot = freeze({
      ...rec.snapshot,
      state,
      values: values ?? rec.snapshot.values,
      datetimeStart: state === "RUNNING" ? new Date() : rec.snapshot.datetimeStart,
      datetimeComplete: isFinished(state) ? new Date() : rec.snapshot.datetimeComplete,
    });
    return true;
  }

  async setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void> {
    this.update(trialId, (t) => {
      const intermediateValues = new Map(t.intermediateValues);
      intermediateValues.set(step, value);
      return { ...t, intermediateValues };
    });
  }

  async setTrialUserAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    this.update(trialId, (t) => ({ ...t, userAttrs: { ...t.userAttrs, [key]: value } }));
  }

  async setTrialSystemAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    this.update(trialId, (t) => ({ ...t, systemAttrs: { ...t.systemAttrs, [key]: value } }));
  }

  async getTrial(trialId: number): Promise<FrozenTrial> {
    return this.trial(trialId).snapshot;
  }

  async getAllTrials(
    studyId: number,
    states?: readonly TrialState[],
    fromNumber = 0,
  ): Promise<FrozenTrial[]> {
    const all = this.study(studyId).trials;
    const out: FrozenTrial[] = [];
    for (let i = fromNumber; i < all.length; i++) {
      const t = all[i]!.snapshot;
      if (!states || states.includes(t.state)) out.push(t);
    }
    return out;
  }

  private readonly heartbeats = new Map<number, number>();

  async recordHeartbeat(trialId: number): Promise<void> {
    const rec = this.trial(trialId);
    if (rec.snapshot.state === "RUNNING") this.heartbeats.set(trialId, Date.now());
  }

  async failStaleTrials(studyId: number, graceSeconds: number): Promise<FrozenTrial[]> {
    const now = Date.now();
    const stale: FrozenTrial[] = [];
    for (const rec of this.study(studyId).trials) {
      const beat = this.heartbeats.get(rec.snapshot.trialId);
      if (
        rec.snapshot.state !== "RUNNING" ||
        beat === undefined ||
        now - beat <= graceSeconds * 1000
      )
        continue;
      stale.push(rec.snapshot);
      rec.snapshot = freeze({
        ...rec.snapshot,
        state: "FAIL",
        datetimeComplete: new Date(),
        systemAttrs: { ...rec.snapshot.systemAttrs, fail_reason: STALE_REASON },
      });
      this.heartbeats.delete(rec.snapshot.trialId);
    }
    return stale;
  }

  async close(): Promise<void> {}
}
