/**
 * spax: typed search spaces for hyperparameter optimization and neural architecture search.
 *
 * @example
 * import * as sp from "spax";
 * const Training = sp.config("Training", {
 *   learningRate: sp.float({ ge: 1e-5, le: 1e-1, log: true }),
 *   optimizer: sp.categorical([sp.choice("adam", { weight: 3 }), "sgd"]),
 * });
 * type Training = sp.Infer<typeof Training>;
 * Training.random({ seed: 42 });
 * @module
 */
export {
  formatIssue,
  formatPath,
  type Issue,
  type IssueCode,
  type PathSegment,
  SpaxDefinitionError,
  SpaxError,
  SpaxOverrideError,
  SpaxSamplingError,
  SpaxSyntaxError,
  SpaxValidationError,
} from "./errors.js";
export { loadOverride, parseOverride } from "./io/override-file.js";
export type { DataFormat } from "./io/text.js";
export type {
  SpaceSampler,
  SuggestCategoricalOptions,
  SuggestNumberOptions,
} from "./sample/sampler.js";
export {
  boolean,
  type CategoricalOptions,
  CategoricalSpace,
  Choice as ChoiceValue,
  categorical,
  choice,
} from "./space/categorical.js";
export { ConditionalSpace, conditional } from "./space/conditional.js";
export {
  AndCondition,
  and,
  Condition,
  type ConditionJson,
  FieldCondition as FieldComparison,
  FieldRef,
  FieldsCondition,
  field,
  fields,
  NotCondition,
  not,
  OrCondition,
  or,
} from "./space/conditions.js";
export {
  type ConfigField,
  type ConfigOutput,
  ConfigSpace,
  type Constraint,
  config,
  type OverrideFor,
  type OverrideInput,
  type RandomOptions,
  type RangeOverride,
} from "./space/config.js";
export { FixedSpace } from "./space/fixed.js";
export {
  type ConfigJson,
  type SpaceJson,
  type SpaceNodeJson,
  spaceFromJSON,
} from "./space/json.js";
export {
  FloatSpace,
  float,
  IntSpace,
  int,
  type NumberOptions,
  NumberSpace,
} from "./space/number.js";
export { OverrideSource } from "./space/override.js";
export { type Alternative, type AnySpace, type Infer, Space } from "./space/space.js";
export {
  And,
  Categorical,
  Choice,
  Conditional,
  EqualsTo,
  FieldCondition,
  Float,
  In,
  Int,
  IsInstance,
  Lambda,
  LargerThan,
  MultiFieldLambdaCondition,
  Not,
  NotEqualsTo,
  NotIn,
  Or,
  SmallerThan,
  ValueCondition,
} from "./space/spax-compat.js";
export type { SafeParseResult } from "./space/validate.js";
export type { JsonValue } from "./space/values.js";
export {
  DuplicateStudyError,
  NotFoundError,
  type Storage,
  TrialFinishedError,
} from "./storage/base.js";
export { MemoryStorage } from "./storage/memory.js";
export {
  CategoricalDistribution,
  type Distribution,
  distributionFromJSON,
  distributionToJSON,
  FloatDistribution,
  IntDistribution,
} from "./study/distributions.js";
export type {
  FrozenTrial,
  StudyDirection,
  StudySummary,
  TrialState,
} from "./study/frozen-trial.js";
export type { Callback, ObjectiveFor, OptimizeOptions, OptimizeSummary } from "./study/optimize.js";
export {
  HyperbandPruner,
  type HyperbandPrunerOptions,
  MedianPruner,
  type MedianPrunerOptions,
  NopPruner,
  PatientPruner,
  type PatientPrunerOptions,
  PercentilePruner,
  type PercentilePrunerOptions,
  SuccessiveHalvingPruner,
  type SuccessiveHalvingPrunerOptions,
  ThresholdPruner,
  type ThresholdPrunerOptions,
} from "./study/pruners/index.js";
export type { Pruner, Sampler, StudyView } from "./study/sampler.js";
export { CmaEsSampler, type CmaEsSamplerOptions } from "./study/samplers/cmaes/index.js";
export {
  GridSampler,
  type GridSamplerOptions,
  type GridSearchSpace,
  type SpaceGridSamplerOptions,
} from "./study/samplers/grid.js";
export {
  type Crossover,
  NSGAIISampler,
  type NSGAIISamplerOptions,
  SBXCrossover,
  UniformCrossover,
} from "./study/samplers/nsga2/index.js";
export { QMCSampler, type QMCSamplerOptions, type QMCType } from "./study/samplers/qmc.js";
export { RandomSampler } from "./study/samplers/random.js";
export { TPESampler, type TPESamplerOptions, type TPEStats } from "./study/samplers/tpe/index.js";
export {
  type ConfigOf,
  type CreateStudyOptions,
  createStudy,
  deleteStudy,
  getAllStudies,
  loadStudy,
  type ObjectiveValue,
  Study,
} from "./study/study.js";
export { Trial, TrialError, TrialPruned } from "./study/trial.js";
