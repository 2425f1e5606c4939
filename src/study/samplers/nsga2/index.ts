/**
 * NSGA-II: the sampler, its crossovers and its selection machinery.
 * @module
 */
export {
  type Crossover,
  type CrossoverContext,
  SBXCrossover,
  UniformCrossover,
} from "./crossover.js";
export { NSGAIISampler, type NSGAIISamplerOptions } from "./sampler.js";
export {
  constrainedDominates,
  crowdingDistance,
  dominates,
  type Evaluated,
  nonDominatedSort,
} from "./selection.js";
