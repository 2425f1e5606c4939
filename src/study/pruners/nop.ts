/**
 * Optuna's `NopPruner`: never prunes.
 * @module
 */
import type { FrozenTrial } from "../frozen-trial.js";
import type { Pruner, StudyView } from "../sampler.js";

/**
 * A pruner that never prunes: `trial.shouldPrune()` is always `false`. The default of a study
 * created without a pruner behaves the same.
 * @example
 * const study = await sp.createStudy({ direction: "maximize", pruner: new sp.NopPruner() });
 */
export class NopPruner implements Pruner {
  /**
   * Always `false`.
   * @example
   * new sp.NopPruner().prune(study, trial); // false
   */
  prune(_study: StudyView, _trial: FrozenTrial): boolean {
    return false;
  }
}
