/**
 * Sampling a config through any sampler with Optuna-style `suggest*` methods, such as a study
 * trial: the config asks for each active parameter under SpaX's name
 * (`Training.optimizer::Adam.lr`), in SpaX's field order.
 * @module
 */
import { formatValue, SpaxSamplingError } from "../errors.js";
import type { CategoricalSpace } from "../space/categorical.js";
import type { ConfigSpace } from "../space/config.js";
import type { NumberSpace } from "../space/number.js";
import type { FieldPlan } from "../space/plan.js";
import { unreachable } from "../space/space.js";
import { failedConstraints } from "../space/validate.js";
import { formatJson, jsonEquals, nextDown, nextUp } from "../space/values.js";
import { unsatisfiable } from "./random.js";

/** Options of `suggestFloat` / `suggestInt`, as in Optuna. */
export interface SuggestNumberOptions {
  /** Sample in log space. */
  log?: boolean;
  /** Grid step anchored at `low`. */
  step?: number;
}

/** Options of `suggestCategorical`. Samplers may ignore `weights` (Optuna's trials do). */
export interface SuggestCategoricalOptions {
  /** Relative weights of the choices, in choice order. */
  weights?: readonly number[];
}

/**
 * What a config needs from a sampler: Optuna's three `suggest*` methods. Bounds are always
 * inclusive (exclusive float bounds are passed as the next representable float inside, so the
 * bound itself can never come back). Categorical choices are passed as their real values;
 * config choices as their config names.
 */
export interface SpaceSampler {
  /** A float in [low, high] (on the `step` grid, or log-uniform with `log`). */
  suggestFloat(name: string, low: number, high: number, options?: SuggestNumberOptions): number;
  /** An integer in [low, high] (on the `step` grid, or log-uniform with `log`). */
  suggestInt(name: string, low: number, high: number, options?: SuggestNumberOptions): number;
  /** One of `choices`. */
  suggestCategorical(
    name: string,
    choices: readonly any[],
    options?: SuggestCategoricalOptions,
  ): any;
}

type AnyConfig = ConfigSpace<string, any, unknown>;
type Values = Record<string, unknown>;

/** The field path a SpaX parameter name stands for: `Training.optimizer::Adam.lr` → optimizer.lr. */
function fieldPathOf(name: string): string[] {
  return name
    .split(".")
    .slice(1)
    .map((segment) => segment.split("::")[0]!);
}

/**
 * Identical violating draws in a row after which a sampler is taken to repeat itself (as a
 * trial does). High enough that a random sampler on a one-bit space almost never gets there.
 */
const SAME_DRAWS_LIMIT = 20;

/** Draws a config through `sampler`, redrawing up to `maxTries` times for `refine` constraints. */
export function sampleWith(config: AnyConfig, sampler: SpaceSampler, maxTries: number): Values {
  if (
    sampler === null ||
    typeof sampler !== "object" ||
    typeof sampler.suggestFloat !== "function" ||
    typeof sampler.suggestInt !== "function" ||
    typeof sampler.suggestCategorical !== "function"
  ) {
    throw new SpaxSamplingError(
      `a sampler needs suggestFloat, suggestInt and suggestCategorical methods, got ${formatValue(sampler)}`,
      { code: "invalid_sampler" },
    );
  }
  return sampleConfig(config, sampler, config.name, maxTries, false);
}

function sampleConfig(
  config: AnyConfig,
  sampler: SpaceSampler,
  prefix: string,
  maxTries: number,
  tagged: boolean,
): Values {
  let previous: Values | undefined;
  let repeats = 0;
  for (let attempt = 1; ; attempt++) {
    const slots = new Array<unknown>(config.fields.length);
    for (const i of config.order) {
      slots[i] = samplePlan(
        config.plans[i]!,
        sampler,
        `${prefix}.${config.fields[i]!.name}`,
        slots,
        maxTries,
      );
    }
    const out = config.build(slots, tagged);
    if (config.constraints.length === 0) return out;
    const broken = failedConstraints(config, out);
    if (broken.length === 0) return out;
    repeats = previous !== undefined && jsonEquals(out, previous) ? repeats + 1 : 0;
    if (repeats >= SAME_DRAWS_LIMIT) {
      // A study trial answers a repeated name with the value it gave before: redrawing through
      // it cannot help, so say so soon instead of after maxTries identical draws.
      throw new SpaxSamplingError(
        `the sampled config violates the constraint "${broken[0]}", and the sampler returns the same values when asked again (a study trial does); prune this trial instead (throw new sp.TrialPruned())`,
        { path: [config.name], code: "constraint_violated" },
      );
    }
    if (attempt >= maxTries) throw unsatisfiable(config, broken, maxTries);
    previous = out;
  }
}

function samplePlan(
  plan: FieldPlan,
  sampler: SpaceSampler,
  name: string,
  slots: unknown[],
  maxTries: number,
): unknown {
  const space = plan.space;
  switch (space.kind) {
    case "float":
    case "int":
      return suggestNumber(space, sampler, name);
    case "categorical":
      return suggestCategorical(space, sampler, name, maxTries);
    case "conditional": {
      const outcome = plan.test!(slots);
      const branch = outcome ? plan.ifTrue! : plan.ifFalse!;
      const branchName = `${name}::${outcome ? "true" : "false"}_branch`;
      return branch.space.kind === "config"
        ? sampleConfig(branch.space, sampler, `${branchName}::${branch.space.name}`, maxTries, true)
        : samplePlan(branch, sampler, branchName, slots, maxTries);
    }
    case "config":
      return sampleConfig(space, sampler, `${name}::${space.name}`, maxTries, false);
    case "fixed":
      return space.value;
    default:
      return unreachable(space);
  }
}

function suggestNumber(space: NumberSpace, sampler: SpaceSampler, name: string): number {
  let low = space.min;
  let high = space.max;
  if (space.kind === "float" && space.step === undefined) {
    if (!space.lowInclusive) low = nextUp(low);
    if (!space.highInclusive) high = nextDown(high);
  }
  const options: SuggestNumberOptions = {};
  if (space.log) options.log = true;
  if (space.step !== undefined) options.step = space.step;
  let v =
    space.kind === "int"
      ? sampler.suggestInt(name, low, high, options)
      : sampler.suggestFloat(name, low, high, options);
  // Optuna-style samplers compute grid points as low + k·step in binary floating point
  // (0.1 + 2·0.1 = 0.30000000000000004); take the exact decimal grid point they meant.
  if (typeof v === "number") v = space.snap(v);
  const problem = space.check(v);
  if (problem !== undefined) {
    throw new SpaxSamplingError(
      `the sampler returned ${formatValue(v)} for ${name}, which ${problem}`,
      { path: fieldPathOf(name), code: "sampler_out_of_space" },
    );
  }
  return v === 0 ? 0 : v;
}

function suggestCategorical(
  space: CategoricalSpace,
  sampler: SpaceSampler,
  name: string,
  maxTries: number,
): unknown {
  const entries = space.entries;
  let index = 0;
  if (entries.length > 1) {
    const labels = entries.map((e) => (e.config ? e.config.name : e.value));
    const options: SuggestCategoricalOptions = space.uniform ? {} : { weights: space.weights };
    const v: unknown = sampler.suggestCategorical(name, labels, options);
    index = typeof v === "string" && space.hasConfigs ? space.configIndexOf(v) : -1;
    if (index < 0) index = space.indexOf(v);
    if (
      index < 0 ||
      (entries[index]!.config === undefined && !jsonEquals(entries[index]!.value, v))
    ) {
      throw new SpaxSamplingError(
        `the sampler returned ${formatValue(v)} for ${name}, which is not one of ${labels.map((l) => formatJson(l)).join(", ")}`,
        { path: fieldPathOf(name), code: "sampler_out_of_space" },
      );
    }
  }
  const entry = entries[index]!;
  return entry.config
    ? sampleConfig(entry.config, sampler, `${name}::${entry.config.name}`, maxTries, true)
    : entry.value;
}

/**
 * The parameters a concrete config stands for, under SpaX's names: what a trial would have
 * suggested to produce it (categoricals as their choices, config choices by name). Used to
 * enqueue a config in a study and to replay grid points. `config` must be valid for `space`.
 */
export function configParams(space: AnyConfig, config: Values): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  const read = (name: string): unknown => {
    let v: unknown = config;
    for (const key of fieldPathOf(name)) v = (v as Values)[key];
    return v;
  };
  const number = (name: string): number => {
    const v = read(name) as number;
    params[name] = v;
    return v;
  };
  const replay: SpaceSampler = {
    suggestFloat: number,
    suggestInt: number,
    suggestCategorical: (name) => {
      const v = read(name);
      // A config choice is asked for by its name.
      const choice =
        v !== null &&
        typeof v === "object" &&
        !Array.isArray(v) &&
        typeof (v as Values).__type__ === "string"
          ? (v as Values).__type__
          : v;
      params[name] = choice;
      return choice;
    },
  };
  sampleWith(space, replay, 1);
  return params;
}
