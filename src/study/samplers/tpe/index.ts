/**
 * The TPE sampler and its parts: the sampler, Optuna's default schedules, and the
 * truncated-normal math (exported for tests and for other samplers).
 * @module
 */
export { defaultGamma, defaultWeights, hyperoptGamma } from "./defaults.js";
export { TPESampler, type TPESamplerOptions, type TPEStats } from "./sampler.js";
export {
  erf,
  erfc,
  fastExp,
  logGaussMass,
  logNdtr,
  ndtr,
  ndtri,
  truncnormLogPdf,
  truncnormPpf,
  truncnormSample,
} from "./truncnorm.js";
