/**
 * Optuna's `MedianPruner`: the median stopping rule.
 * @module
 */
import { PercentilePruner, type PercentilePrunerOptions } from "./percentile.js";

/** Options of {@link MedianPruner}: those of {@link PercentilePruner}, with the same defaults. */
export type MedianPrunerOptions = PercentilePrunerOptions;

/**
 * Prunes a trial whose best intermediate value so far is worse than the median of the
 * completed trials' values at the same step: a {@link PercentilePruner} at 50.
 *
 * @param options `nStartupTrials` (default 5), `nWarmupSteps` (0), `intervalSteps` (1),
 *   `nMinTrials` (1); see {@link PercentilePrunerOptions}.
 * @throws SpaxError (`invalid_pruner_argument`) for a negative `nStartupTrials` or
 *   `nWarmupSteps`, an `intervalSteps` or `nMinTrials` below 1, or a non-integer count.
 * @example
 * const study = await sp.createStudy({
 *   direction: "maximize",
 *   pruner: new sp.MedianPruner({ nStartupTrials: 5, nWarmupSteps: 30, intervalSteps: 10 }),
 * });
 */
export class MedianPruner extends PercentilePruner {
  constructor(options?: MedianPrunerOptions) {
    super(50, options);
  }
}
