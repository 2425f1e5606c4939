/**
 * Categorical spaces: a finite list of choices, each a JSON-like value or a config, with
 * optional weights. Choices keep their identity and type, so `1`, `"1"`, `true`, `null`, `0`
 * and `""` are six different choices everywhere (sampling, validation, files).
 * @module
 */
import { formatValue, type PathSegment, SpaxDefinitionError } from "../errors.js";
import { cumulativeWeights } from "../sample/mt19937.js";
import type { ConfigSpace } from "./config.js";
import { type Alternative, isSpace, Space } from "./space.js";
import {
  canonicalKey,
  formatJson,
  freezeJson,
  type JsonValue,
  jsonEquals,
  optionsObject,
} from "./values.js";

/** A choice with a sampling weight. Built by {@link choice}. */
export class Choice<V = unknown> {
  readonly value: V;
  readonly weight: number;
  constructor(value: V, weight: number) {
    this.value = value;
    this.weight = weight;
  }
}

/** What a categorical accepts as a choice. */
export type ChoiceInput = JsonValue | ConfigSpace<string, any, any> | Choice<any>;

/** The value type a choice contributes. */
export type InferChoice<C> = C extends Choice<infer V> ? Alternative<V> : Alternative<C>;

/** One choice after checking: its value (a frozen JSON value or a config) and weight. */
export interface CategoricalEntry {
  readonly value: JsonValue | ConfigSpace<string, any, unknown>;
  readonly weight: number;
  /** The config when this choice is a config, else `undefined`. */
  readonly config: ConfigSpace<string, any, unknown> | undefined;
}

/** Options of {@link categorical}. */
export interface CategoricalOptions<T = unknown> {
  /** The value a config that omits the field takes; must be a (non-config) choice. */
  default?: T;
  /** Free text for the tree and docs. */
  description?: string;
}

/**
 * A space of finitely many choices. A categorical with a single choice acts as a fixed value
 * (SpaX): it adds no parameter and draws nothing.
 */
export class CategoricalSpace<Out = unknown> extends Space<Out> {
  readonly kind = "categorical" as const;
  readonly entries: readonly CategoricalEntry[];
  readonly description: string | undefined;
  readonly default: JsonValue | undefined;
  /** Whether a default was given (the default may be `null`). */
  readonly hasDefault: boolean;
  /** Weights in choice order. */
  readonly weights: readonly number[];
  /** Cumulative probabilities built as SpaX does, for bit-exact weighted draws. */
  readonly cumulative: Float64Array;
  /** True when all weights are equal (the tree prints such a categorical on one line). */
  readonly uniform: boolean;
  /** True when some choice is a config. */
  readonly hasConfigs: boolean;
  private readonly primitiveIndex = new Map<unknown, number>();
  /** Small all-primitive categoricals are searched linearly: faster than hashing. */
  private scan: readonly unknown[] | undefined;
  private readonly compoundIndex = new Map<string, number>();
  private readonly configIndex = new Map<string, number>();

  constructor(
    choices: readonly unknown[],
    rawOptions: CategoricalOptions<unknown> = {},
    path: readonly PathSegment[] = [],
    label = "sp.categorical",
  ) {
    super();
    const options = optionsObject(
      rawOptions,
      label,
      SpaxDefinitionError,
    ) as CategoricalOptions<unknown>;
    for (const key of Object.keys(options)) {
      if (key !== "default" && key !== "description") {
        throw new SpaxDefinitionError(
          `${label}: unknown option ${JSON.stringify(key)}; expected default, description`,
          {
            path,
            code: "invalid_option",
          },
        );
      }
    }
    const fail = (why: string, code: string): never => {
      throw new SpaxDefinitionError(`${label}: ${why}`, { path, code });
    };
    if (!Array.isArray(choices))
      fail(`needs an array of choices, got ${formatValue(choices)}`, "invalid_choices");
    if (choices.length === 0) fail("needs at least one choice", "empty_categorical");
    const entries: CategoricalEntry[] = [];
    choices.forEach((raw, i) => {
      let value: unknown = raw;
      let weight = 1;
      if (raw instanceof Choice) {
        value = raw.value;
        weight = raw.weight;
      }
      if (typeof weight !== "number" || !Number.isFinite(weight) || weight <= 0) {
        fail(
          `choice ${i} (${formatValue(value)}): weight must be a finite number > 0, got ${formatValue(weight)}`,
          "invalid_weight",
        );
      }
      if (isSpace(value)) {
        if (value.kind !== "config") {
          fail(
            `choice ${i} is a ${value.kind} space; a choice must be a value or a config (to search a range, use sp.conditional or separate fields)`,
            "invalid_choice",
          );
        }
        const config = value as ConfigSpace<string, any, unknown>;
        if (this.configIndex.has(config.name)) {
          fail(
            `choice ${i}: two choices are configs named ${JSON.stringify(config.name)}`,
            "duplicate_choice",
          );
        }
        this.configIndex.set(config.name, i);
        entries.push({ value: config, weight, config });
        return;
      }
      const frozen = freezeJson(value, [...path, i], `choice ${i}`);
      if (
        frozen !== null &&
        typeof frozen === "object" &&
        !Array.isArray(frozen) &&
        "__type__" in frozen
      ) {
        // In memory and in files, a "__type__" key marks a config; a plain value with one
        // could not be told apart from the config it names.
        fail(
          `choice ${i} (${formatJson(frozen)}) has the key "__type__", which marks configs; use sp.config for it`,
          "reserved_key",
        );
      }
      const prior = this.indexOf(frozen);
      if (prior >= 0) {
        fail(`choice ${i} (${formatJson(frozen)}) duplicates choice ${prior}`, "duplicate_choice");
      }
      if (frozen !== null && typeof frozen === "object")
        this.compoundIndex.set(canonicalKey(frozen), i);
      else this.primitiveIndex.set(frozen, i);
      entries.push({ value: frozen, weight, config: undefined });
    });
    for (const name of this.configIndex.keys()) {
      if (this.primitiveIndex.has(name)) {
        fail(
          `the string choice ${JSON.stringify(name)} has the name of a config choice; samplers and override files could not tell them apart`,
          "ambiguous_choice",
        );
      }
    }
    this.entries = entries;
    this.scan =
      entries.length <= 8 && entries.every((e) => e.value === null || typeof e.value !== "object")
        ? entries.map((e) => e.value)
        : undefined;
    this.weights = entries.map((e) => e.weight);
    this.cumulative = cumulativeWeights(this.weights);
    this.uniform = this.weights.every((w) => w === this.weights[0]);
    this.hasConfigs = this.configIndex.size > 0;
    this.description = options.description;
    if (options.description !== undefined && typeof options.description !== "string") {
      fail(
        `description must be a string, got ${formatValue(options.description)}`,
        "invalid_option",
      );
    }
    this.hasDefault = options.default !== undefined;
    this.default = undefined;
    if (this.hasDefault) {
      const d = freezeJson(options.default, path, "default");
      if (this.indexOf(d) < 0) {
        fail(`default ${formatJson(d)} is not one of the choices`, "invalid_default");
      }
      this.default = d;
    }
  }

  /** Index of the (non-config) choice equal to `value` by value and type, or -1. */
  indexOf(value: unknown): number {
    const scan = this.scan;
    if (scan !== undefined) {
      // `===` keeps 1, "1" and true apart; -0 === 0 as in the Map.
      for (let i = 0; i < scan.length; i++) if (scan[i] === value) return i;
      return -1;
    }
    if (value !== null && typeof value === "object") {
      if (this.compoundIndex.size === 0) return -1;
      return this.compoundIndex.get(canonicalKey(value)) ?? -1;
    }
    return this.primitiveIndex.get(value) ?? -1;
  }

  /** Index of the config choice named `name`, or -1. */
  configIndexOf(name: string): number {
    return this.configIndex.get(name) ?? -1;
  }

  /** True when the categorical has a single choice and so acts as a fixed value. */
  get single(): boolean {
    return this.entries.length === 1;
  }

  /** Whether `value` equals the plain choice `i` (by value and type). */
  isChoice(i: number, value: unknown): boolean {
    const e = this.entries[i];
    return e !== undefined && e.config === undefined && jsonEquals(e.value, value);
  }
}

/**
 * A choice with a weight, for weighted categoricals. Weights need not sum to 1.
 * @param options.weight A finite number > 0 (default 1).
 * @example
 * sp.categorical([sp.choice("adam", { weight: 3 }), "sgd", "rmsprop"]);
 */
export function choice<const V extends JsonValue | ConfigSpace<string, any, any>>(
  value: V,
  options: { weight?: number } = {},
): Choice<V> {
  const o = optionsObject(options, "sp.choice", SpaxDefinitionError);
  for (const key of Object.keys(o)) {
    if (key !== "weight") {
      throw new SpaxDefinitionError(
        `sp.choice: unknown option ${JSON.stringify(key)}; expected weight`,
        {
          code: "invalid_option",
        },
      );
    }
  }
  return new Choice(value, o.weight === undefined ? 1 : (o.weight as number));
}

/**
 * A categorical space: one of the listed choices. Choices are JSON-like values (strings,
 * numbers, booleans, `null`, arrays, plain objects) or configs (a choice among configs, whose
 * values carry `__type__`), optionally weighted with {@link choice}.
 * @throws SpaxDefinitionError for an empty list, duplicate choices, a weight ≤ 0, or a default
 * that is not a choice.
 * @example
 * const optimizer = sp.categorical([sp.choice("adam", { weight: 3 }), "sgd", "rmsprop"]);
 * const scheduler = sp.categorical([Cosine, Step, null]); // Cosine | Step | null
 */
export function categorical<const C extends readonly ChoiceInput[]>(
  choices: C,
  options?: CategoricalOptions<InferChoice<C[number]>>,
): CategoricalSpace<InferChoice<C[number]>> {
  return new CategoricalSpace(choices, options, [], `sp.categorical(${formatValue(choices)})`);
}

/**
 * `categorical([true, false])`: a boolean parameter.
 * @example
 * const useDropout = sp.boolean();
 */
export function boolean(options?: CategoricalOptions<boolean>): CategoricalSpace<boolean> {
  return new CategoricalSpace([true, false], options, [], "sp.boolean()");
}
