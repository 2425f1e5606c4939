/**
 * The optimize loop: up to `concurrency` trials at once, until `nTrials`, `timeout`, `stop()`
 * or Ctrl-C. Faults stay inside their trial: a throwing objective fails it, NaN fails it,
 * `TrialPruned` prunes it; finished trials are never lost.
 * @module
 */
import { formatValue, SpaxError } from "../errors.js";
import { booleanOption, optionsObject } from "../space/values.js";
import { TrialFinishedError } from "../storage/base.js";
import type { FrozenTrial } from "./frozen-trial.js";
import { ProgressBar } from "./progress.js";
import type { ConstraintPruned, ObjectiveValue, Study } from "./study.js";
import { type Trial, TrialPruned } from "./trial.js";

type Awaitable<T> = T | Promise<T>;

/** The objective of a study: gets the typed config (space-first studies) or the trial. */
export type ObjectiveFor<C> = [C] extends [undefined]
  ? (trial: Trial) => Awaitable<ObjectiveValue>
  : (config: C, trial: Trial) => Awaitable<ObjectiveValue>;

/** Called after each finished trial; may be async. Throwing stops the run and rethrows. */
export type Callback<C> = (study: Study<C>, trial: FrozenTrial) => Awaitable<void>;

/** Options of `study.optimize`. */
export interface OptimizeOptions<C = undefined> {
  /** Trials to run in this call (default: until timeout, stop() or Ctrl-C). */
  nTrials?: number;
  /** Seconds after which no new trial starts (running ones finish). */
  timeout?: number;
  /** Trials running at once (default 1); useful with async objectives. */
  concurrency?: number;
  /** Called after each finished trial. */
  callbacks?: readonly Callback<C>[];
  /** Stop at the first failing trial and rethrow its error (default: record FAIL and go on). */
  stopOnError?: boolean;
  /** Progress bar on stderr (default: on for a TTY outside CI). */
  showProgressBar?: boolean;
}

/** What an optimize call did. */
export interface OptimizeSummary {
  complete: number;
  pruned: number;
  failed: number;
  /** Ctrl-C (SIGINT) ended the run. */
  interrupted: boolean;
  /** `timeout` ended the run. */
  timedOut: boolean;
  elapsedMs: number;
}

function positiveInteger(v: unknown, what: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 1) {
    throw new SpaxError(`${what} must be a positive integer, got ${formatValue(v)}`, {
      code: "invalid_option",
    });
  }
  return v;
}

/** Runs `study.optimize` (see there). */
export async function runOptimize<C>(
  study: Study<C>,
  objective: ObjectiveFor<C>,
  options: OptimizeOptions<C>,
): Promise<OptimizeSummary> {
  if (typeof objective !== "function") {
    throw new SpaxError(`optimize needs an objective function, got ${formatValue(objective)}`, {
      code: "invalid_objective",
    });
  }
  optionsObject(options, "optimize", SpaxError, [
    "nTrials",
    "timeout",
    "concurrency",
    "callbacks",
    "stopOnError",
    "showProgressBar",
  ]);
  booleanOption(options.stopOnError, "stopOnError", "optimize");
  booleanOption(options.showProgressBar, "showProgressBar", "optimize");
  const nTrials = positiveInteger(options.nTrials, "nTrials");
  const concurrency = positiveInteger(options.concurrency, "concurrency") ?? 1;
  const timeout = options.timeout;
  if (timeout !== undefined && (typeof timeout !== "number" || !(timeout > 0))) {
    throw new SpaxError(`timeout must be a number of seconds > 0, got ${formatValue(timeout)}`, {
      code: "invalid_option",
    });
  }
  const callbacks = options.callbacks ?? [];
  if (!Array.isArray(callbacks) || callbacks.some((c) => typeof c !== "function")) {
    throw new SpaxError("callbacks must be an array of functions", { code: "invalid_option" });
  }

  const started = Date.now();
  const deadline = timeout === undefined ? Number.POSITIVE_INFINITY : started + timeout * 1000;
  const summary: OptimizeSummary = {
    complete: 0,
    pruned: 0,
    failed: 0,
    interrupted: false,
    timedOut: false,
    elapsedMs: 0,
  };
  const running = new Set<Trial>();
  let launched = 0;
  let fatal: unknown;
  let halted = false;
  study.consumeStop(true);

  const progress = ProgressBar.create(
    options.showProgressBar,
    nTrials,
    study.directions.length === 1 ? study.direction : undefined,
  );
  // Ctrl-C: start nothing new, mark running trials FAIL, return. A second Ctrl-C exits as usual.
  let interrupt: (() => void) | undefined;
  const interrupted = new Promise<void>((resolve) => {
    interrupt = resolve;
  });
  const onSigint = () => {
    summary.interrupted = true;
    halted = true;
    interrupt!();
  };
  const hasProcess = typeof process !== "undefined" && typeof process.once === "function";
  if (hasProcess) process.once("SIGINT", onSigint);

  const canStart = () => {
    if (halted || fatal !== undefined || study.consumeStop()) return false;
    if (nTrials !== undefined && launched >= nTrials) return false;
    if (Date.now() >= deadline) {
      summary.timedOut = true;
      return false;
    }
    return true;
  };

  const finish = async (trial: Trial, outcome: () => Promise<FrozenTrial>) => {
    let frozen: FrozenTrial;
    try {
      frozen = await outcome();
    } catch (error) {
      // Another worker failed this trial for a missed heartbeat (this one was too slow to beat):
      // the trial is lost, but this worker goes on.
      if (!(error instanceof TrialFinishedError)) throw error;
      running.delete(trial);
      summary.failed++;
      return;
    }
    running.delete(trial);
    if (summary.interrupted) return;
    if (frozen.state === "COMPLETE") summary.complete++;
    else if (frozen.state === "PRUNED") summary.pruned++;
    else summary.failed++;
    progress?.update(study, summary);
    for (const cb of callbacks) await cb(study, frozen);
  };

  const runOne = async () => {
    const trial = await study.ask();
    running.add(trial);
    let value: unknown;
    try {
      value = await study.evaluate(objective, trial);
    } catch (error) {
      if (summary.interrupted) return;
      if (
        error instanceof TrialPruned ||
        (error as ConstraintPruned)?.name === "ConstraintPruned"
      ) {
        await finish(trial, () => study.tell(trial, undefined, { state: "PRUNED" }));
        return;
      }
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      await finish(trial, () =>
        study.tell(trial, undefined, { state: "FAIL", failReason: message }),
      );
      if (options.stopOnError) fatal ??= error;
      return;
    }
    if (summary.interrupted) return;
    await finish(trial, () => study.tell(trial, value as ObjectiveValue));
  };

  const worker = async () => {
    while (canStart()) {
      launched++;
      try {
        await runOne();
      } catch (error) {
        // Errors outside the objective (storage, callbacks, samplers) end the run.
        fatal ??= error;
      }
    }
  };

  try {
    const workers = Promise.all(Array.from({ length: concurrency }, worker));
    await Promise.race([workers, interrupted]);
    if (summary.interrupted) {
      // Objectives cannot be cancelled; record their trials as failed now, so nothing is
      // left RUNNING, and ignore their results when they arrive.
      for (const trial of running) {
        try {
          await study.tell(trial, undefined, { state: "FAIL", failReason: "interrupted (SIGINT)" });
          summary.failed++;
        } catch {
          // Already told by a finishing objective.
        }
      }
    }
  } finally {
    if (hasProcess) process.removeListener("SIGINT", onSigint);
    summary.elapsedMs = Date.now() - started;
    progress?.close(study, summary);
  }
  if (fatal !== undefined) throw fatal;
  return summary;
}
