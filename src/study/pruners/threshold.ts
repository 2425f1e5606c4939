/**
 * Optuna's `ThresholdPruner`: prune a trial whose latest value leaves fixed bounds.
 * @module
 */
import { formatValue, SpaxError } from "../../errors.js";
import type { FrozenTrial } from "../frozen-trial.js";
import type { Pruner, StudyView } from "../sampler.js";
import {
  _checkInt,
  _checkOptions,
  _fail,
  _isFirstInIntervalStep,
  _lastStep,
  INVALID_PRUNER_ARGUMENT,
} from "./_internal.js";

/** Options of {@link ThresholdPruner}; give `lower`, `upper` or both. */
export interface ThresholdPrunerOptions {
  /** Prune when the latest intermediate value is below this. */
  lower?: number;
  /** Prune when the latest intermediate value is above this. */
  upper?: number;
  /**
   * No pruning while the trial's last reported step is below this.
   * @default 0
   */
  nWarmupSteps?: number;
  /**
   * Steps between checks, offset by the warm-up; a check point without a report is postponed
   * to the next report. At least 1.
   * @default 1
   */
  intervalSteps?: number;
}

/**
 * Prunes a trial whose latest intermediate value is below `lower`, above `upper`, or NaN —
 * whatever the study's direction. As in Optuna 3.1, only the value at the last reported step
 * is looked at, and only at check points (`nWarmupSteps + k * intervalSteps`, postponed to the
 * next report when nothing was reported there).
 *
 * @param options `lower`, `upper` (at least one), `nWarmupSteps` (default 0), `intervalSteps` (1).
 * @throws SpaxError (`invalid_pruner_argument`) when neither bound is given, a bound is not a
 *   number or is NaN, `lower > upper`, `nWarmupSteps` is negative or `intervalSteps` below 1.
 * @example
 * // Stop runs whose loss explodes.
 * const study = await sp.createStudy({ pruner: new sp.ThresholdPruner({ upper: 10 }) });
 */
export class ThresholdPruner implements Pruner {
  /** The lower bound (`-Infinity` when not given). */
  readonly lower: number;
  /** The upper bound (`Infinity` when not given). */
  readonly upper: number;
  readonly nWarmupSteps: number;
  readonly intervalSteps: number;

  constructor(options: ThresholdPrunerOptions) {
    const name = "ThresholdPruner";
    const o = _checkOptions(name, options);
    if (o.lower === undefined && o.upper === undefined) {
      throw new SpaxError(`${name}: give lower, upper or both, got ${formatValue(options)}`, {
        code: INVALID_PRUNER_ARGUMENT,
      });
    }
    for (const key of ["lower", "upper"] as const) {
      const v = o[key];
      // Optuna accepts NaN, which then silently never prunes; here it is a mistake.
      if (v !== undefined && (typeof v !== "number" || Number.isNaN(v))) {
        _fail(name, key, "a number (not NaN)", v);
      }
    }
    this.lower = o.lower ?? Number.NEGATIVE_INFINITY;
    this.upper = o.upper ?? Number.POSITIVE_INFINITY;
    if (this.lower > this.upper) {
      throw new SpaxError(
        `${name}: lower must be <= upper, got lower ${formatValue(this.lower)} and upper ${formatValue(this.upper)}`,
        { code: INVALID_PRUNER_ARGUMENT },
      );
    }
    this.nWarmupSteps = _checkInt(name, "nWarmupSteps", o.nWarmupSteps ?? 0, 0);
    this.intervalSteps = _checkInt(name, "intervalSteps", o.intervalSteps ?? 1, 1);
  }

  /**
   * Whether `trial`'s latest value is out of bounds (or NaN) at a check point.
   * @example
   * new sp.ThresholdPruner({ upper: 1 }).prune(study, trial); // true once the trial reports 1.2
   */
  prune(_study: StudyView, trial: FrozenTrial): boolean {
    const step = _lastStep(trial);
    if (step === undefined || step < this.nWarmupSteps) return false;
    if (
      !_isFirstInIntervalStep(
        step,
        trial.intermediateValues.keys(),
        this.nWarmupSteps,
        this.intervalSteps,
      )
    ) {
      return false;
    }
    const latest = trial.intermediateValues.get(step)!;
    return Number.isNaN(latest) || latest < this.lower || latest > this.upper;
  }
}
