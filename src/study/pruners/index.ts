/**
 * Pruners: Optuna 3.1's pruning rules, with Optuna's names, defaults and semantics. A pruner
 * is asked by `trial.shouldPrune()` whether to stop a trial early, from the trial's
 * intermediate values and the study's other trials.
 *
 * @example
 * import * as sp from "spax";
 * const study = await sp.createStudy({ direction: "maximize", pruner: new sp.MedianPruner() });
 * @module
 */
export { HyperbandPruner, type HyperbandPrunerOptions } from "./hyperband.js";
export { MedianPruner, type MedianPrunerOptions } from "./median.js";
export { NopPruner } from "./nop.js";
export { PatientPruner, type PatientPrunerOptions } from "./patient.js";
export { PercentilePruner, type PercentilePrunerOptions } from "./percentile.js";
export {
  completedRungKey,
  SuccessiveHalvingPruner,
  type SuccessiveHalvingPrunerOptions,
} from "./successive-halving.js";
export { ThresholdPruner, type ThresholdPrunerOptions } from "./threshold.js";
