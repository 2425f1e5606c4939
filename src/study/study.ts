/**
 * Studies: a named optimization over trials, stored in a {@link Storage}, driven by a sampler
 * and a pruner — Optuna's model with TypeScript types. A study created with a `space` hands
 * objectives typed configs and lets samplers see the whole conditional structure.
 * @module
 */
import { formatValue, SpaxError, SpaxSamplingError, SpaxValidationError } from "../errors.js";
import { configParams } from "../sample/sampler.js";
import type { ConfigSpace } from "../space/config.js";
import {
  booleanOption,
  freezeJson,
  isPlainObject,
  type JsonValue,
  jsonEquals,
  optionsObject,
} from "../space/values.js";
import { DuplicateStudyError, type Storage } from "../storage/base.js";
import { MemoryStorage } from "../storage/memory.js";
import { openStorage } from "../storage/url.js";
import { type Distribution, incompatibility } from "./distributions.js";
import {
  type FrozenTrial,
  isFinished,
  type StudyDirection,
  type TrialState,
} from "./frozen-trial.js";
import {
  type ObjectiveFor,
  type OptimizeOptions,
  type OptimizeSummary,
  runOptimize,
} from "./optimize.js";
import { NopPruner } from "./pruners/nop.js";
import type { Pruner, Sampler, StudyView } from "./sampler.js";
import { RandomSampler } from "./samplers/random.js";
import { TPESampler } from "./samplers/tpe/index.js";
import { describe, Trial, TrialError, type TrialHost } from "./trial.js";

type AnyConfig = ConfigSpace<string, any, any>;

/** What a study's objective returns: one value per direction. */
export type ObjectiveValue = number | readonly number[];

/** Options of {@link createStudy}. */
export interface CreateStudyOptions<S extends AnyConfig | undefined = undefined> {
  /** The study's name (default: a generated `no-name-…`). */
  name?: string;
  /** A {@link Storage}, or `"memory"` (default). */
  storage?: Storage | string;
  /** One objective's direction (default `"minimize"`). */
  direction?: StudyDirection;
  /** Directions of several objectives (multi-objective). */
  directions?: readonly StudyDirection[];
  /** Default: a `TPESampler` (as Optuna). */
  sampler?: Sampler;
  /** Default: no pruning. */
  pruner?: Pruner;
  /** Load the study if one with this name exists, instead of failing. */
  loadIfExists?: boolean;
  /** Make the study space-first: objectives get typed configs of this space. */
  space?: S;
  /**
   * Seconds between a running trial's heartbeats (default: 60 for SQLite and PostgreSQL, off
   * for memory). A trial whose worker stops beating for `gracePeriod` seconds (default: twice
   * the interval) is failed by the next worker that starts a trial.
   */
  heartbeatInterval?: number;
  /** Seconds without a heartbeat after which a RUNNING trial counts as dead. */
  gracePeriod?: number;
  /**
   * Re-enqueue the parameters of trials failed for a missed heartbeat (killed workers), at most
   * this many times per original trial (`true` = no limit). Default: no retries.
   */
  retryFailedTrials?: number | boolean;
}

/** The config type a space-first study hands its objective (or `undefined`). */
export type ConfigOf<S> = S extends ConfigSpace<string, any, infer O> ? O : undefined;

const DIRECTIONS = new Set(["minimize", "maximize"]);

const LIVENESS_KEYS = ["heartbeatInterval", "gracePeriod", "retryFailedTrials"];
const CREATE_KEYS = [
  "name",
  "storage",
  "direction",
  "directions",
  "sampler",
  "pruner",
  "loadIfExists",
  "space",
  ...LIVENESS_KEYS,
];
const LOAD_KEYS = ["name", "storage", "sampler", "pruner", "space", ...LIVENESS_KEYS];

/** How a study keeps track of live workers (see {@link CreateStudyOptions.heartbeatInterval}). */
export interface Liveness {
  /** Heartbeat period in seconds, or `undefined` for none. */
  interval: number | undefined;
  grace: number;
  /** Retries per original trial of trials failed for a missed heartbeat. */
  retries: number;
}

function readLiveness(options: Record<string, unknown>, persistent: boolean): Liveness {
  const seconds = (v: unknown, name: string) => {
    if (v !== undefined && (typeof v !== "number" || !(v > 0) || !Number.isFinite(v))) {
      throw new SpaxError(`${name} must be a number of seconds > 0, got ${formatValue(v)}`, {
        code: "invalid_option",
      });
    }
    return v as number | undefined;
  };
  const interval =
    seconds(options.heartbeatInterval, "heartbeatInterval") ?? (persistent ? 60 : undefined);
  const grace = seconds(options.gracePeriod, "gracePeriod") ?? (interval ?? 60) * 2;
  if (interval !== undefined && grace <= interval) {
    throw new SpaxError(`gracePeriod (${grace} s) must exceed heartbeatInterval (${interval} s)`, {
      code: "invalid_option",
    });
  }
  const r = options.retryFailedTrials;
  if (
    r !== undefined &&
    typeof r !== "boolean" &&
    !(Number.isSafeInteger(r) && (r as number) >= 0)
  ) {
    throw new SpaxError(
      `retryFailedTrials must be a count >= 0 or a boolean, got ${formatValue(r)}`,
      { code: "invalid_option" },
    );
  }
  return {
    interval,
    grace,
    retries: r === true ? Number.POSITIVE_INFINITY : typeof r === "number" ? r : 0,
  };
}

function readDirections(options: { direction?: unknown; directions?: unknown }): StudyDirection[] {
  if (options.direction !== undefined && options.directions !== undefined) {
    throw new SpaxError("give direction or directions, not both", { code: "invalid_directions" });
  }
  const list = options.directions ?? [options.direction ?? "minimize"];
  if (!Array.isArray(list) || list.length === 0 || !list.every((d) => DIRECTIONS.has(d))) {
    throw new SpaxError(
      `directions must be "minimize" or "maximize", got ${formatValue(options.directions ?? options.direction)}`,
      {
        code: "invalid_directions",
      },
    );
  }
  return list as StudyDirection[];
}

/**
 * A study: trials, their results, the best so far. Made by {@link createStudy} or
 * {@link loadStudy}.
 */
export class Study<C = undefined> implements StudyView, TrialHost {
  /** Trials by number, as last seen (this process's live trials kept current). */
  private cache: FrozenTrial[] = [];
  private readonly live = new Map<
    number,
    { trial: Trial; writes: Promise<unknown>; writeError: unknown }
  >();
  private readonly relative = new Map<
    number,
    { space: Record<string, Distribution>; params: Record<string, JsonValue> }
  >();
  /** First trial to use each parameter name, for Optuna's compatibility rule. */
  private origins = new Map<string, { distribution: Distribution; number: number }>();
  private stopRequested = false;

  /** @internal Use {@link createStudy} / {@link loadStudy}. */
  constructor(
    readonly storage: Storage,
    readonly studyId: number,
    readonly name: string,
    readonly directions: readonly StudyDirection[],
    readonly sampler: Sampler,
    readonly pruner: Pruner,
    readonly space: AnyConfig | undefined,
    /** Heartbeats and retries of trials whose workers died. */
    readonly liveness: Liveness = { interval: undefined, grace: 120, retries: 0 },
  ) {}

  private readonly beats = new Map<number, ReturnType<typeof setInterval>>();

  /** Fails trials whose workers stopped beating, and re-enqueues them when retries are on. */
  private async reapStaleTrials(): Promise<void> {
    if (this.liveness.interval === undefined) return;
    const stale = await this.storage.failStaleTrials(this.studyId, this.liveness.grace);
    for (const t of stale) {
      const history = Array.isArray(t.systemAttrs.retry_history)
        ? (t.systemAttrs.retry_history as number[])
        : [];
      if (history.length >= this.liveness.retries) continue;
      // Optuna's RetryFailedTrialCallback: same parameters, a link to the failed trial.
      await this.storage.createTrial(this.studyId, {
        state: "WAITING",
        systemAttrs: {
          fixed_params: t.params,
          failed_trial: t.trialId,
          retry_history: [...history, t.trialId],
        },
        userAttrs: t.userAttrs,
      });
    }
  }

  private startHeartbeat(trialId: number): void {
    if (this.liveness.interval === undefined) return;
    const beat = () => void this.storage.recordHeartbeat(trialId).catch(() => {});
    beat();
    const timer = setInterval(beat, this.liveness.interval * 1000);
    // A heartbeat must never keep the process alive on its own.
    (timer as { unref?: () => void }).unref?.();
    this.beats.set(trialId, timer);
  }

  private stopHeartbeat(trialId: number): void {
    const timer = this.beats.get(trialId);
    if (timer !== undefined) clearInterval(timer);
    this.beats.delete(trialId);
  }

  /** The direction of a single-objective study. */
  get direction(): StudyDirection {
    if (this.directions.length !== 1) {
      throw new SpaxError("this study has several objectives; use directions", {
        code: "multi_objective",
      });
    }
    return this.directions[0]!;
  }

  // ---- the view samplers and pruners get ---------------------------------------------------

  getTrials(states?: readonly TrialState[]): readonly FrozenTrial[] {
    return states
      ? this.cache.filter((t) => t !== undefined && states.includes(t.state))
      : this.cache.filter((t) => t !== undefined);
  }

  setTrialSystemAttr(trialId: number, key: string, value: JsonValue): void {
    const entry = this.live.get(trialId);
    if (entry) {
      entry.trial.setSystemAttr(key, value);
      return;
    }
    const t = this.cache.find((x) => x?.trialId === trialId);
    if (!t)
      throw new SpaxError(`no trial with id ${trialId} in study ${this.name}`, {
        code: "trial_not_found",
      });
    this.cache[t.number] = { ...t, systemAttrs: { ...t.systemAttrs, [key]: value } };
    void this.storage.setTrialSystemAttr(trialId, key, value).catch(() => {});
  }

  /** Asks `optimize` to start no new trials; running ones finish. */
  stop(): void {
    this.stopRequested = true;
  }

  /** @internal Whether stop() was called (reset when optimize starts). */
  consumeStop(reset = false): boolean {
    const s = this.stopRequested;
    if (reset) this.stopRequested = false;
    return s;
  }

  // ---- trials -------------------------------------------------------------------------------

  /** Every trial as last seen, in number order (refreshed before each new trial). */
  get trials(): FrozenTrial[] {
    return [...this.getTrials()];
  }

  /** Reloads the trials from storage (other workers' trials included). */
  async refresh(): Promise<void> {
    // Finished trials never change: re-read only from the first trial that still may.
    let from = 0;
    while (
      from < this.cache.length &&
      this.cache[from] !== undefined &&
      isFinished(this.cache[from]!.state)
    )
      from++;
    const stored = await this.storage.getAllTrials(this.studyId, undefined, from);
    const cache = this.cache.slice(0, from);
    for (const t of stored) cache[t.number] = t;
    for (const { trial } of this.live.values()) cache[trial.number] = trial.snapshot;
    this.cache = cache;
    for (let i = from; i < cache.length; i++) {
      const t = cache[i];
      if (!t) continue;
      for (const [name, distribution] of Object.entries(t.distributions)) {
        if (!this.origins.has(name)) this.origins.set(name, { distribution, number: t.number });
      }
    }
  }

  /** Fresh trials from storage, optionally only those in `states`. */
  async getTrialsFresh(states?: readonly TrialState[]): Promise<FrozenTrial[]> {
    await this.refresh();
    return [...this.getTrials(states)];
  }

  private completed(): FrozenTrial[] {
    return this.getTrials(["COMPLETE"]) as FrozenTrial[];
  }

  /** The best COMPLETE trial of a single-objective study. */
  get bestTrial(): FrozenTrial {
    const sign = this.direction === "maximize" ? -1 : 1;
    let best: FrozenTrial | undefined;
    for (const t of this.completed()) {
      const v = t.values?.[0];
      if (v === undefined || Number.isNaN(v)) continue;
      if (best === undefined || sign * v < sign * best.values![0]!) best = t;
    }
    if (!best)
      throw new SpaxError(`study ${this.name} has no completed trial yet`, { code: "no_trials" });
    return best;
  }

  /** The best objective value. */
  get bestValue(): number {
    return this.bestTrial.values![0]!;
  }

  /** The parameters of the best trial. */
  get bestParams(): Readonly<Record<string, JsonValue>> {
    return this.bestTrial.params;
  }

  /** The typed config of the best trial (space-first studies). */
  get bestConfig(): C {
    return this.configOf(this.bestTrial);
  }

  /** The typed config a trial of a space-first study ran with. */
  configOf(trial: FrozenTrial): C {
    if (!this.space)
      throw new SpaxError("configOf needs a space-first study (createStudy({ space }))", {
        code: "no_space",
      });
    const params = trial.params;
    return this.space.sample({
      suggestFloat: (name) => params[name] as number,
      suggestInt: (name) => params[name] as number,
      suggestCategorical: (name) => params[name],
    }) as C;
  }

  /** The Pareto-optimal COMPLETE trials of a (multi-objective) study. */
  get bestTrials(): FrozenTrial[] {
    const signs = this.directions.map((d) => (d === "maximize" ? -1 : 1));
    const done = this.completed().filter((t) => t.values?.every((v) => !Number.isNaN(v)));
    const dominates = (a: FrozenTrial, b: FrozenTrial) => {
      let strictly = false;
      for (let i = 0; i < signs.length; i++) {
        const x = signs[i]! * a.values![i]!;
        const y = signs[i]! * b.values![i]!;
        if (x > y) return false;
        if (x < y) strictly = true;
      }
      return strictly;
    };
    return done.filter((t) => !done.some((o) => o !== t && dominates(o, t)));
  }

  // ---- attributes --------------------------------------------------------------------------

  /** The study's user attributes (as stored). */
  async getUserAttrs(): Promise<Record<string, JsonValue>> {
    return { ...(await this.storage.getStudy(this.studyId)).userAttrs };
  }

  /** The study's system attributes (as stored). */
  async getSystemAttrs(): Promise<Record<string, JsonValue>> {
    return { ...(await this.storage.getStudy(this.studyId)).systemAttrs };
  }

  /** Sets a study user attribute. */
  async setUserAttr(key: string, value: JsonValue): Promise<void> {
    if (typeof key !== "string" || key === "") {
      throw new SpaxError(`an attribute key must be a non-empty string, got ${formatValue(key)}`, {
        code: "invalid_key",
      });
    }
    await this.storage.setStudyUserAttr(
      this.studyId,
      key,
      freezeJson(value, [key], "a user attribute"),
    );
  }

  // ---- TrialHost: what live trials call ------------------------------------------------------

  checkDistribution(trial: Trial, name: string, distribution: Distribution, record: boolean): void {
    const origin = this.origins.get(name);
    if (origin === undefined) {
      if (record) this.origins.set(name, { distribution, number: trial.number });
      return;
    }
    const why = incompatibility(origin.distribution, distribution);
    if (why !== undefined) {
      throw new TrialError(
        `parameter ${JSON.stringify(name)} was first suggested in trial ${origin.number} as ${describe(origin.distribution)}; in trial ${trial.number} ${why} (${describe(distribution)}). One name must keep one kind of distribution in a study: use a new name, or a new study`,
        { code: "distribution_changed" },
      );
    }
  }

  sampleParam(trial: Trial, name: string, distribution: Distribution): JsonValue {
    const rel = this.relative.get(trial.trialId);
    if (rel && Object.hasOwn(rel.params, name)) {
      const planned = rel.space[name];
      const value = rel.params[name]!;
      if (
        planned &&
        incompatibility(planned, distribution) === undefined &&
        distribution.contains(value)
      )
        return value;
    }
    return this.sampler.sampleIndependent(this, trial.snapshot, name, distribution);
  }

  shouldPrune(trial: Trial): boolean {
    return this.pruner.prune(this, trial.snapshot);
  }

  update(trial: Trial, snapshot: FrozenTrial, write: (storage: Storage) => Promise<unknown>): void {
    this.cache[trial.number] = snapshot;
    const entry = this.live.get(trial.trialId);
    if (!entry) {
      void write(this.storage).catch(() => {});
      return;
    }
    // Writes of one trial go to storage in order; the first failure is kept for tell().
    entry.writes = entry.writes
      .then(() => write(this.storage))
      .catch((error) => {
        entry.writeError ??= error;
      });
  }

  // ---- ask / tell / enqueue ------------------------------------------------------------------

  /**
   * Starts a trial: the oldest enqueued one if any, else a new one. Use with {@link tell}
   * when you run trials yourself.
   * @example
   * const trial = await study.ask();
   * const x = trial.suggestFloat("x", -10, 10);
   * await study.tell(trial, (x - 2) ** 2);
   */
  async ask(): Promise<Trial> {
    await this.reapStaleTrials();
    const frozen =
      (await this.storage.popWaitingTrial(this.studyId)) ??
      (await this.storage.createTrial(this.studyId));
    const fixed = isPlainObject(frozen.systemAttrs.fixed_params)
      ? (frozen.systemAttrs.fixed_params as Record<string, JsonValue>)
      : {};
    const trial = new Trial(this, frozen, fixed);
    this.live.set(frozen.trialId, { trial, writes: Promise.resolve(), writeError: undefined });
    this.startHeartbeat(frozen.trialId);
    await this.refresh();
    this.sampler.beforeTrial?.(this, trial.snapshot);
    const space = this.sampler.inferRelativeSearchSpace(this, trial.snapshot);
    if (Object.keys(space).length > 0) {
      this.relative.set(frozen.trialId, {
        space,
        params: this.sampler.sampleRelative(this, trial.snapshot, space),
      });
    }
    return trial;
  }

  /**
   * Finishes a trial: with its objective value(s) (COMPLETE), or as PRUNED / FAIL. A NaN value
   * fails the trial; ±Infinity are values.
   * @throws TrialError when the trial has already finished.
   */
  async tell(
    trialOrNumber: Trial | number,
    values?: ObjectiveValue,
    options: { state?: "COMPLETE" | "PRUNED" | "FAIL"; failReason?: string } = {},
  ): Promise<FrozenTrial> {
    if (!(trialOrNumber instanceof Trial) && !Number.isSafeInteger(trialOrNumber)) {
      throw new TrialError(
        `tell needs a trial or a trial number, got ${formatValue(trialOrNumber)}`,
        { code: "invalid_trial" },
      );
    }
    const o = optionsObject(options, "tell", TrialError, ["state", "failReason"]);
    if (
      o.state !== undefined &&
      o.state !== "COMPLETE" &&
      o.state !== "PRUNED" &&
      o.state !== "FAIL"
    ) {
      throw new TrialError(
        `tell: state must be "COMPLETE", "PRUNED" or "FAIL", got ${formatValue(o.state)}`,
        { code: "invalid_state" },
      );
    }
    if (o.failReason !== undefined && typeof o.failReason !== "string") {
      throw new TrialError(`tell: failReason must be a string, got ${formatValue(o.failReason)}`, {
        code: "invalid_option",
      });
    }
    const entry =
      typeof trialOrNumber === "number"
        ? [...this.live.values()].find((e) => e.trial.number === trialOrNumber)
        : this.live.get(trialOrNumber.trialId);
    if (!entry) {
      const number = typeof trialOrNumber === "number" ? trialOrNumber : trialOrNumber.number;
      const known = this.cache[number];
      throw new TrialError(
        known && isFinished(known.state)
          ? `trial ${number} was already told (it is ${known.state}); a trial is told once`
          : `trial ${number} is not running in this process`,
        { code: known && isFinished(known.state) ? "trial_finished" : "trial_not_running" },
      );
    }
    const { trial } = entry;
    let state: TrialState = options.state ?? "COMPLETE";
    let reason = options.failReason;
    let stored: number[] | undefined;
    if (state === "COMPLETE") {
      const list =
        typeof values === "number" ? [values] : Array.isArray(values) ? values : undefined;
      if (
        !list ||
        list.length !== this.directions.length ||
        !list.every((v) => typeof v === "number")
      ) {
        state = "FAIL";
        reason = `the objective returned ${formatValue(values)}; expected ${this.directions.length === 1 ? "a number" : `${this.directions.length} numbers`}`;
      } else if (list.some((v) => Number.isNaN(v))) {
        state = "FAIL";
        reason = "the objective returned NaN";
      } else {
        stored = [...list];
      }
    } else if (state === "PRUNED") {
      // Optuna keeps the last reported value of a pruned trial, when it is a number.
      const steps = [...trial.snapshot.intermediateValues.keys()];
      const last =
        steps.length > 0 ? trial.snapshot.intermediateValues.get(Math.max(...steps)) : undefined;
      if (last !== undefined && !Number.isNaN(last) && this.directions.length === 1)
        stored = [last];
    }
    trial.markFinished(state);
    this.stopHeartbeat(trial.trialId);
    this.sampler.afterTrial?.(this, trial.snapshot, state, stored);
    await entry.writes;
    this.live.delete(trial.trialId);
    this.relative.delete(trial.trialId);
    if (entry.writeError !== undefined) {
      throw new SpaxError(
        `trial ${trial.number} could not be stored: ${entry.writeError instanceof Error ? entry.writeError.message : String(entry.writeError)}`,
        {
          code: "storage_failed",
          cause: entry.writeError,
        },
      );
    }
    if (reason !== undefined)
      await this.storage.setTrialSystemAttr(trial.trialId, "fail_reason", reason);
    if (!(await this.storage.setTrialState(trial.trialId, state, stored))) {
      throw new TrialError(`trial ${trial.number} could not be moved to ${state}`, {
        code: "invalid_state",
      });
    }
    const frozen = await this.storage.getTrial(trial.trialId);
    this.cache[frozen.number] = frozen;
    return frozen;
  }

  /**
   * Queues a trial with fixed parameters; it runs before new ones. In a space-first study,
   * pass a config of the space (validated now) or parameters by SpaX name. Values are checked
   * against the distributions when the trial suggests them — never cast or resampled.
   * @param options.skipIfExists skip when a waiting, running or complete trial has these parameters.
   * @example
   * await study.enqueueTrial({ x: 2, y: "a" });
   */
  async enqueueTrial(
    params: Readonly<Record<string, unknown>>,
    options: { userAttrs?: Record<string, JsonValue>; skipIfExists?: boolean } = {},
  ): Promise<void> {
    if (!isPlainObject(params)) {
      throw new SpaxError(
        `enqueueTrial needs an object of parameters, got ${formatValue(params)}`,
        { code: "invalid_params" },
      );
    }
    const o = optionsObject(options, "enqueueTrial", SpaxError, ["userAttrs", "skipIfExists"]);
    const skipIfExists = booleanOption(o.skipIfExists, "skipIfExists", "enqueueTrial");
    const userAttrs =
      o.userAttrs === undefined
        ? {}
        : (freezeJson(o.userAttrs, ["userAttrs"], "a user attribute") as Record<string, JsonValue>);
    if (!isPlainObject(userAttrs)) {
      throw new SpaxError(
        `enqueueTrial: userAttrs must be an object, got ${formatValue(o.userAttrs)}`,
        { code: "invalid_option" },
      );
    }
    let fixed: Record<string, JsonValue>;
    if (this.space && Object.keys(params).every((k) => k.startsWith(`${this.space!.name}.`))) {
      // Parameters by SpaX name: each must be a parameter of the space (values are checked when
      // the trial suggests them).
      const known = new Set(this.space.parameterNames());
      const unknown = Object.keys(params).find((k) => !known.has(k));
      if (unknown !== undefined) {
        throw new SpaxError(
          `enqueueTrial: ${JSON.stringify(unknown)} is not a parameter of ${this.space.name} (its parameters: ${[...known].join(", ")})`,
          {
            code: "unknown_param",
          },
        );
      }
      fixed = freezeJson(params, ["params"], "an enqueued parameter") as Record<string, JsonValue>;
    } else if (this.space) {
      const parsed = this.space.safeParse(params);
      if (!parsed.success)
        throw new SpaxValidationError(parsed.issues, `${this.space.name} (enqueued config)`);
      fixed = configParams(this.space, parsed.data) as Record<string, JsonValue>;
    } else {
      fixed = freezeJson(params, ["params"], "an enqueued parameter") as Record<string, JsonValue>;
    }
    if (skipIfExists) {
      // As Optuna: a trial enqueued with these values, or one that ran with them, counts.
      await this.refresh();
      const same = this.getTrials(["WAITING", "RUNNING", "COMPLETE"]).some((t) =>
        jsonEquals(
          isPlainObject(t.systemAttrs.fixed_params) ? t.systemAttrs.fixed_params : t.params,
          fixed,
        ),
      );
      if (same) return;
    }
    await this.storage.createTrial(this.studyId, {
      state: "WAITING",
      systemAttrs: { fixed_params: fixed },
      userAttrs,
    });
  }

  /**
   * Runs the objective for `nTrials` trials (or until `timeout` seconds, or `stop()`), up to
   * `concurrency` at a time. A throwing objective fails its trial and the study goes on
   * (`stopOnError: true` stops and rethrows); `sp.TrialPruned` prunes it; NaN fails it.
   * Ctrl-C stops cleanly: running trials are marked FAIL, nothing finished is lost.
   * @returns counts of complete, pruned and failed trials.
   * @example
   * const summary = await study.optimize(async (trial) => {
   *   const x = trial.suggestFloat("x", -10, 10);
   *   return (x - 2) ** 2;
   * }, { nTrials: 100 });
   */
  optimize(objective: ObjectiveFor<C>, options: OptimizeOptions<C> = {}): Promise<OptimizeSummary> {
    return runOptimize(this, objective, options);
  }

  /** @internal Runs the objective on a trial the way `optimize` does (space-first aware). */
  async evaluate(objective: ObjectiveFor<C>, trial: Trial): Promise<unknown> {
    if (this.space) {
      let config: C;
      try {
        config = this.space.fromTrial(trial) as C;
      } catch (error) {
        if (error instanceof SpaxSamplingError && error.code === "constraint_violated") {
          trial.setSystemAttr("spax:constraint_violated", error.message);
          throw new ConstraintPruned(error.message);
        }
        throw error;
      }
      return (objective as (config: C, trial: Trial) => unknown)(config, trial);
    }
    return (objective as (trial: Trial) => unknown)(trial);
  }
}

/** A space-first trial whose sampled config breaks a `refine` constraint: pruned, not failed. */
export class ConstraintPruned extends Error {
  override name = "ConstraintPruned";
}

async function open<S extends AnyConfig | undefined>(
  options: CreateStudyOptions<S>,
  mode: "create" | "load",
): Promise<Study<ConfigOf<S>>> {
  optionsObject(
    options,
    mode === "create" ? "createStudy" : "loadStudy",
    SpaxError,
    mode === "create" ? CREATE_KEYS : LOAD_KEYS,
  );
  const loadIfExists = booleanOption(options.loadIfExists, "loadIfExists", "createStudy");
  const storage = await openStorage(options.storage);
  // Optuna's default sampler (random for the first 10 trials, then TPE).
  const sampler = options.sampler ?? new TPESampler();
  const pruner = options.pruner ?? new NopPruner();
  for (const [what, v, methods] of [
    ["sampler", sampler, ["inferRelativeSearchSpace", "sampleRelative", "sampleIndependent"]],
    ["pruner", pruner, ["prune"]],
  ] as const) {
    const missing = methods.filter(
      (m) =>
        v === null ||
        typeof v !== "object" ||
        typeof (v as unknown as Record<string, unknown>)[m] !== "function",
    );
    if (missing.length > 0) {
      throw new SpaxError(
        `${what} must be a ${what} object (with ${methods.join(", ")}), got ${formatValue(v)}`,
        {
          code: `invalid_${what}`,
        },
      );
    }
  }
  const space = options.space;
  if (
    space !== undefined &&
    (space === null || typeof space !== "object" || (space as AnyConfig).kind !== "config")
  ) {
    throw new SpaxError(`space must be a config made with sp.config, got ${formatValue(space)}`, {
      code: "invalid_space",
    });
  }
  const name = options.name ?? `no-name-${globalThis.crypto.randomUUID()}`;
  if (typeof name !== "string" || name === "")
    throw new SpaxError(`a study name must be a non-empty string, got ${formatValue(name)}`, {
      code: "invalid_name",
    });
  let studyId = await storage.getStudyId(name);
  let directions: StudyDirection[];
  if (mode === "load") {
    if (studyId === undefined)
      throw new SpaxError(`no study named ${JSON.stringify(name)} in this storage`, {
        code: "study_not_found",
      });
    directions = [...(await storage.getStudy(studyId)).directions];
  } else {
    directions = readDirections(options);
    if (studyId !== undefined) {
      if (!loadIfExists) {
        throw new DuplicateStudyError(
          `a study named ${JSON.stringify(name)} exists already; pass loadIfExists: true to continue it`,
          {
            code: "duplicate_study",
          },
        );
      }
      const stored = (await storage.getStudy(studyId)).directions;
      const given = options.direction !== undefined || options.directions !== undefined;
      // As Optuna: an existing study keeps its directions; only contradicting them is an error.
      if (!given) directions = [...stored];
      else if (stored.length !== directions.length || stored.some((d, i) => d !== directions[i])) {
        throw new SpaxError(
          `study ${JSON.stringify(name)} was created with directions ${formatValue(stored)}, not ${formatValue(directions)}`,
          {
            code: "directions_mismatch",
          },
        );
      }
    } else {
      studyId = await storage.createStudy(name, directions);
      if (space)
        await storage.setStudySystemAttr(
          studyId,
          "spax:space",
          space.toJSON() as unknown as JsonValue,
        );
    }
  }
  const liveness = readLiveness(
    options as Record<string, unknown>,
    !(storage instanceof MemoryStorage),
  );
  const study = new Study<ConfigOf<S>>(
    storage,
    studyId!,
    name,
    directions,
    sampler,
    pruner,
    space,
    liveness,
  );
  await study.refresh();
  return study;
}

/**
 * Creates a study (or, with `loadIfExists`, continues one).
 * @example
 * const study = await sp.createStudy({ name: "exp1", direction: "maximize", space: Training });
 * await study.optimize(async (cfg) => train(cfg), { nTrials: 100 });
 */
export function createStudy<S extends AnyConfig | undefined = undefined>(
  options: CreateStudyOptions<S> = {},
): Promise<Study<ConfigOf<S>>> {
  return open(options, "create");
}

/**
 * Opens an existing study by name.
 * @throws SpaxError code `study_not_found`.
 */
export function loadStudy<S extends AnyConfig | undefined = undefined>(
  options: Omit<CreateStudyOptions<S>, "direction" | "directions" | "loadIfExists"> & {
    name: string;
  },
): Promise<Study<ConfigOf<S>>> {
  return open(options, "load");
}

/** Deletes a study and its trials. */
export async function deleteStudy(options: {
  name: string;
  storage: Storage | string;
}): Promise<void> {
  const storage = await openStorage(options.storage);
  const id = await storage.getStudyId(options.name);
  if (id === undefined)
    throw new SpaxError(`no study named ${JSON.stringify(options.name)} in this storage`, {
      code: "study_not_found",
    });
  await storage.deleteStudy(id);
}

/** Every study in a storage, with trial counts. */
export async function getAllStudies(storage: Storage | string) {
  return (await openStorage(storage)).getAllStudies();
}
