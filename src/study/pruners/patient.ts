/**
 * Optuna's `PatientPruner`: tolerate a trial that stopped improving for a while.
 * @module
 */
import type { FrozenTrial } from "../frozen-trial.js";
import type { Pruner, StudyView } from "../sampler.js";
import { _checkInt, _checkOptions, _direction, _fail, _nanMax, _nanMin } from "./_internal.js";

/** Options of {@link PatientPruner}. */
export interface PatientPrunerOptions {
  /**
   * How many reports after the one that must already lag behind may also lag behind before the
   * trial may be pruned: the last `patience + 1` reports are compared with those before them.
   * An integer >= 0.
   */
  patience: number;
  /**
   * Tolerance: a report no worse than the earlier best plus (minimize) or minus (maximize)
   * `minDelta` still counts as keeping up. >= 0.
   * @default 0
   */
  minDelta?: number;
}

/**
 * Wraps another pruner with patience: a trial may be pruned only once each of its last
 * `patience + 1` reports is worse than the best report before them by more than `minDelta`
 * (the curve has stalled); the wrapped pruner then decides (without one, a stalled trial is
 * pruned: plain early stopping on the trial's own curve).
 *
 * As in Optuna 3.1: reports are taken in step order; with `patience + 1` reports or fewer the
 * trial is never pruned; NaN values are ignored, and if all the values before or all those
 * after are NaN the trial counts as improving.
 *
 * @param wrapped the pruner that decides once patience ran out, or `undefined` to prune then.
 * @param options `patience` (required), `minDelta` (default 0).
 * @throws SpaxError (`invalid_pruner_argument`) for a `patience` that is not an integer >= 0,
 *   a `minDelta` that is negative or not a number, or a `wrapped` that is not a pruner.
 * @example
 * const study = await sp.createStudy({
 *   direction: "maximize",
 *   pruner: new sp.PatientPruner(new sp.MedianPruner(), { patience: 1 }),
 * });
 */
export class PatientPruner implements Pruner {
  readonly wrapped: Pruner | undefined;
  readonly patience: number;
  readonly minDelta: number;

  constructor(wrapped: Pruner | undefined, options: PatientPrunerOptions) {
    const name = "PatientPruner";
    if (
      wrapped !== undefined &&
      (typeof wrapped !== "object" || wrapped === null || typeof wrapped.prune !== "function")
    ) {
      _fail(name, "wrapped", "a pruner (with prune) or undefined", wrapped);
    }
    const o = _checkOptions(name, options);
    this.wrapped = wrapped;
    this.patience = _checkInt(name, "patience", o.patience, 0);
    const minDelta = o.minDelta ?? 0;
    if (typeof minDelta !== "number" || !(minDelta >= 0)) {
      _fail(name, "minDelta", "a number >= 0", minDelta);
    }
    this.minDelta = minDelta;
  }

  /**
   * Whether `trial` ran out of patience and (if there is one) the wrapped pruner prunes it.
   * @example
   * new sp.PatientPruner(undefined, { patience: 2 }).prune(study, trial);
   */
  prune(study: StudyView, trial: FrozenTrial): boolean {
    const values = trial.intermediateValues;
    if (values.size <= this.patience + 1) return false;

    const steps = [...values.keys()].sort((a, b) => a - b);
    const split = steps.length - this.patience - 1;
    const before = steps.slice(0, split).map((s) => values.get(s)!);
    const after = steps.slice(split).map((s) => values.get(s)!);

    // Comparisons with NaN (all values NaN on one side) are false: no pruning.
    const stalled =
      _direction(study, "PatientPruner") === "minimize"
        ? _nanMin(before) + this.minDelta < _nanMin(after)
        : _nanMax(before) - this.minDelta > _nanMax(after);
    if (!stalled) return false;
    return this.wrapped === undefined ? true : this.wrapped.prune(study, trial);
  }
}
