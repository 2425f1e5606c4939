/**
 * Optuna's `PercentilePruner`: prune a trial whose best intermediate value is worse than a
 * given percentile of the completed trials' values at the same step.
 * @module
 */
import type { FrozenTrial } from "../frozen-trial.js";
import type { Pruner, StudyView } from "../sampler.js";
import {
  _checkInt,
  _checkOptions,
  _direction,
  _fail,
  _isFirstInIntervalStep,
  _lastStep,
  _nanMax,
  _nanMin,
  _nanPercentile,
} from "./_internal.js";

/** Options of {@link PercentilePruner} and {@link MedianPruner}, with Optuna's defaults. */
export interface PercentilePrunerOptions {
  /**
   * No pruning until this many trials of the study have completed (state COMPLETE).
   * @default 5
   */
  nStartupTrials?: number;
  /**
   * No pruning while the trial's last reported step is below this (steps start at 0).
   * @default 0
   */
  nWarmupSteps?: number;
  /**
   * Steps between pruning checks, offset by the warm-up: checks happen at
   * `nWarmupSteps + k * intervalSteps`; a check point without a report is postponed to the next
   * report. At least 1.
   * @default 1
   */
  intervalSteps?: number;
  /**
   * No pruning unless at least this many completed trials reported a value at the current
   * step. At least 1.
   * @default 1
   */
  nMinTrials?: number;
}

/**
 * Keeps the trials whose best intermediate value (over all their steps so far) is within the
 * best `percentile` of the completed trials' values at the current step, and prunes the rest.
 *
 * The rule, as in Optuna 3.1: no pruning before `nStartupTrials` trials completed, before
 * `nWarmupSteps`, or between check points (`intervalSteps`); a trial whose intermediate values
 * are all NaN is pruned; the percentile ignores NaN values (and with fewer than `nMinTrials`
 * values at the step, or none that is a number, nothing is pruned); it is numpy's linear
 * percentile, taken from the other end for a maximized study (`100 - percentile`).
 *
 * @param percentile which percentile of trials to keep, in [0, 100] (25 keeps the best quarter).
 * @param options `nStartupTrials` (default 5), `nWarmupSteps` (0), `intervalSteps` (1),
 *   `nMinTrials` (1).
 * @throws SpaxError (`invalid_pruner_argument`) for a percentile outside [0, 100], a negative
 *   `nStartupTrials` or `nWarmupSteps`, an `intervalSteps` or `nMinTrials` below 1, or any
 *   non-integer count.
 * @example
 * const study = await sp.createStudy({
 *   direction: "maximize",
 *   pruner: new sp.PercentilePruner(25, { nStartupTrials: 5, nWarmupSteps: 30, intervalSteps: 10 }),
 * });
 */
export class PercentilePruner implements Pruner {
  readonly percentile: number;
  readonly nStartupTrials: number;
  readonly nWarmupSteps: number;
  readonly intervalSteps: number;
  readonly nMinTrials: number;

  constructor(percentile: number, options?: PercentilePrunerOptions) {
    const name = new.target?.name ?? "PercentilePruner";
    if (typeof percentile !== "number" || !(percentile >= 0 && percentile <= 100)) {
      _fail(name, "percentile", "a number in [0, 100]", percentile);
    }
    const o = _checkOptions(name, options);
    this.percentile = percentile;
    this.nStartupTrials = _checkInt(name, "nStartupTrials", o.nStartupTrials ?? 5, 0);
    this.nWarmupSteps = _checkInt(name, "nWarmupSteps", o.nWarmupSteps ?? 0, 0);
    this.intervalSteps = _checkInt(name, "intervalSteps", o.intervalSteps ?? 1, 1);
    this.nMinTrials = _checkInt(name, "nMinTrials", o.nMinTrials ?? 1, 1);
  }

  /**
   * Whether `trial` should stop at its last reported step.
   * @example
   * if (pruner.prune(study, trial)) throw new sp.TrialPruned();
   */
  prune(study: StudyView, trial: FrozenTrial): boolean {
    const completed = study.getTrials(["COMPLETE"]);
    if (completed.length === 0 || completed.length < this.nStartupTrials) return false;

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

    const maximize = _direction(study, this.constructor.name) === "maximize";
    const own = trial.intermediateValues.values();
    const best = maximize ? _nanMax(own) : _nanMin(own);
    // Every value NaN: Optuna prunes.
    if (Number.isNaN(best)) return true;

    const atStep: number[] = [];
    for (const t of completed) {
      const v = t.intermediateValues.get(step);
      if (v !== undefined) atStep.push(v);
    }
    // NaN values count towards nMinTrials but not in the percentile (numpy's nanpercentile).
    if (atStep.length < this.nMinTrials) return false;
    const threshold = _nanPercentile(atStep, maximize ? 100 - this.percentile : this.percentile);
    if (Number.isNaN(threshold)) return false;
    return maximize ? best < threshold : best > threshold;
  }
}
