/**
 * Optuna's `SuccessiveHalvingPruner`: Asynchronous Successive Halving (ASHA).
 * @module
 */
import { formatValue, SpaxError } from "../../errors.js";
import type { FrozenTrial } from "../frozen-trial.js";
import type { Pruner, StudyView } from "../sampler.js";
import {
  _checkInt,
  _checkOptions,
  _direction,
  _lastStep,
  INVALID_PRUNER_ARGUMENT,
} from "./_internal.js";

/** Options of {@link SuccessiveHalvingPruner}, with Optuna's defaults. */
export interface SuccessiveHalvingPrunerOptions {
  /**
   * The minimum resource `r` (in steps) of a trial, an integer >= 1, or `"auto"`: the largest
   * last step of the first completed trials divided by 100 (at least 1), fixed once known; no
   * trial is pruned before then.
   * @default "auto"
   */
  minResource?: number | "auto";
  /**
   * `η`: about `1 / reductionFactor` of the trials reaching a rung are promoted. >= 2.
   * @default 4
   */
  reductionFactor?: number;
  /**
   * `s`: the first rung ends at step `minResource * reductionFactor ** minEarlyStoppingRate`.
   * >= 0.
   * @default 0
   */
  minEarlyStoppingRate?: number;
  /**
   * How many trials must have completed a rung before any trial is promoted past it (the
   * trial at hand included). Needs a numeric `minResource`. >= 0.
   * @default 0
   */
  bootstrapCount?: number;
}

/**
 * The system attribute recording the value a trial had when it completed rung `rung`
 * (Optuna's name, so studies shared with Optuna agree).
 * @example
 * completedRungKey(0); // "completed_rung_0"
 */
export function completedRungKey(rung: number): string {
  return `completed_rung_${rung}`;
}

/**
 * Asynchronous Successive Halving, as Optuna 3.1 implements it.
 *
 * Rung `k` ends at step `minResource * reductionFactor ** (minEarlyStoppingRate + k)`. When a
 * trial's last reported step reaches the end of its current rung, its value there is recorded
 * in its system attribute `completed_rung_<k>` (via `study.setTrialSystemAttr`, Optuna's key)
 * and compared with the values every trial of the study recorded for that rung: the trial is
 * promoted if it is among the best `1 / reductionFactor` of them (among the first
 * `reductionFactor - 1` trials, only the best is promoted), and pruned otherwise; a promoted
 * trial is checked against the next rung at once. A NaN value at a rung end prunes; so does
 * having no more than `bootstrapCount` values at the rung.
 *
 * The pruner is stateful like Optuna's: an `"auto"` minimum resource is estimated once and then
 * kept, so use one pruner per study.
 *
 * @param options `minResource` (default `"auto"`), `reductionFactor` (4),
 *   `minEarlyStoppingRate` (0), `bootstrapCount` (0).
 * @throws SpaxError (`invalid_pruner_argument`) for a `minResource` that is neither `"auto"`
 *   nor an integer >= 1, a `reductionFactor` below 2, a negative `minEarlyStoppingRate` or
 *   `bootstrapCount`, a non-integer, or `bootstrapCount > 0` with `minResource: "auto"`.
 * @example
 * const study = await sp.createStudy({
 *   direction: "maximize",
 *   pruner: new sp.SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 3 }),
 * });
 */
export class SuccessiveHalvingPruner implements Pruner {
  readonly reductionFactor: number;
  readonly minEarlyStoppingRate: number;
  readonly bootstrapCount: number;
  #minResource: number | undefined;

  constructor(options?: SuccessiveHalvingPrunerOptions) {
    const name = "SuccessiveHalvingPruner";
    const o = _checkOptions(name, options);
    const minResource = o.minResource ?? "auto";
    if (minResource !== "auto") _checkInt(name, "minResource", minResource, 1);
    this.reductionFactor = _checkInt(name, "reductionFactor", o.reductionFactor ?? 4, 2);
    this.minEarlyStoppingRate = _checkInt(
      name,
      "minEarlyStoppingRate",
      o.minEarlyStoppingRate ?? 0,
      0,
    );
    this.bootstrapCount = _checkInt(name, "bootstrapCount", o.bootstrapCount ?? 0, 0);
    if (this.bootstrapCount > 0 && minResource === "auto") {
      throw new SpaxError(
        `${name}: bootstrapCount > 0 needs a numeric minResource, got bootstrapCount ${formatValue(this.bootstrapCount)} with minResource "auto"`,
        { code: INVALID_PRUNER_ARGUMENT },
      );
    }
    this.#minResource = minResource === "auto" ? undefined : minResource;
  }

  /**
   * The minimum resource in use: the configured one, or the estimate once an `"auto"` one was
   * made (`undefined` before that).
   * @example
   * new sp.SuccessiveHalvingPruner({ minResource: 2 }).minResource; // 2
   */
  get minResource(): number | undefined {
    return this.#minResource;
  }

  /**
   * Records the rungs `trial` completed since the last call and whether it was promoted past
   * them; `true` when it was not.
   * @example
   * if (pruner.prune(study, trial)) throw new sp.TrialPruned();
   */
  prune(study: StudyView, trial: FrozenTrial): boolean {
    const step = _lastStep(trial);
    if (step === undefined) return false;
    // The trial's attributes as passed, before this call writes to them. Optuna compares
    // against a list of trials fetched before its writes; reading the trial at hand from this
    // copy keeps that true even if the study's view updates in place.
    const ownAttrs = { ...trial.systemAttrs };
    let rung = 0;
    while (Object.hasOwn(ownAttrs, completedRungKey(rung))) rung++;
    const value = trial.intermediateValues.get(step)!;
    let trials: readonly FrozenTrial[] | undefined;

    for (;;) {
      if (this.#minResource === undefined) {
        trials ??= [...study.getTrials()];
        this.#minResource = estimateMinResource(trials);
        if (this.#minResource === undefined) return false;
      }
      const rungEnd =
        this.#minResource * this.reductionFactor ** (this.minEarlyStoppingRate + rung);
      if (step < rungEnd) return false;
      if (Number.isNaN(value)) return true;

      trials ??= [...study.getTrials()];
      const key = completedRungKey(rung);
      study.setTrialSystemAttr(trial.trialId, key, value);

      const competing: number[] = [];
      for (const t of trials) {
        const attrs = t.trialId === trial.trialId ? ownAttrs : t.systemAttrs;
        // Values are numbers as this pruner writes them; anything else (a foreign or
        // mangled attribute) cannot be ranked and is left out.
        const v = Object.hasOwn(attrs, key) ? attrs[key] : undefined;
        if (typeof v === "number") competing.push(v);
      }
      competing.push(value);

      // `competing` includes this trial, hence `<=`.
      if (competing.length <= this.bootstrapCount) return true;
      if (
        !isPromotable(
          value,
          competing,
          this.reductionFactor,
          _direction(study, "SuccessiveHalvingPruner"),
        )
      ) {
        return true;
      }
      rung++;
    }
  }
}

/** Optuna's "auto" minimum resource: max last step of COMPLETE trials // 100, at least 1. */
function estimateMinResource(trials: readonly FrozenTrial[]): number | undefined {
  let last: number | undefined;
  for (const t of trials) {
    if (t.state !== "COMPLETE") continue;
    const s = _lastStep(t);
    if (s !== undefined && (last === undefined || s > last)) last = s;
  }
  return last === undefined ? undefined : Math.max(Math.floor(last / 100), 1);
}

/**
 * Whether `value` is among the best `1 / reductionFactor` of `competing` (which includes it);
 * with fewer than `reductionFactor` values, whether it is the best.
 */
function isPromotable(
  value: number,
  competing: number[],
  reductionFactor: number,
  direction: "minimize" | "maximize",
): boolean {
  const index = Math.max(Math.floor(competing.length / reductionFactor) - 1, 0);
  competing.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return direction === "maximize"
    ? value >= competing[competing.length - 1 - index]!
    : value <= competing[index]!;
}
