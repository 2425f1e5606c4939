/**
 * Configs: named sets of fields, each a space or a fixed value. A config *is* its search space:
 * its TypeScript type is inferred (`sp.Infer`), and it can sample, validate, narrow, draw and
 * serialize itself.
 * @module
 */
import {
  formatValue,
  type PathSegment,
  SpaxDefinitionError,
  SpaxError,
  SpaxValidationError,
} from "../errors.js";
import type { DataFormat } from "../io/text.js";
import { enumerateGrid } from "../sample/grid.js";
import { PyRandom } from "../sample/mt19937.js";
import { sampleRandom } from "../sample/random.js";
import { type SpaceSampler, sampleWith } from "../sample/sampler.js";
import type { CategoricalSpace } from "./categorical.js";
import type { ConditionalSpace } from "./conditional.js";
import { analyseDependencies, fieldOrder } from "./dependencies.js";
import { FixedSpace } from "./fixed.js";
import { type SpaceJson, spaceToJSON } from "./json.js";
import { parameterNames } from "./names.js";
import type { NumberSpace } from "./number.js";
import { narrowConfig, type OverrideSource, overrideTemplate } from "./override.js";
import { type Builder, compileBuilder, type FieldPlan, planField, slotReader } from "./plan.js";
import { dumpConfig, loadConfig } from "./serialize.js";
import { type FieldInput, type Infer, isSpace, type Simplify, Space } from "./space.js";
import { renderTree } from "./tree.js";
import { type SafeParseResult, validateConfig } from "./validate.js";
import { isPlainObject, optionsObject } from "./values.js";

/** `maxTries`: a positive integer (default 1000), so a bad value cannot make sampling spin. */
function readMaxTries(value: unknown): number {
  if (value === undefined) return 1000;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new SpaxError(`maxTries must be a positive integer, got ${formatValue(value)}`, {
      code: "invalid_max_tries",
    });
  }
  return value;
}

const NO_OPTIONS: Readonly<Record<string, unknown>> = Object.freeze({});
const RANDOM_KEYS = ["seed", "override", "maxTries"] as const;
const SAMPLE_KEYS = ["override", "maxTries"] as const;
const OVERRIDE_KEY = ["override"] as const;

/** Idle generators for `random()`; a pool rather than one, since a predicate may sample too. */
const rngPool: PyRandom[] = [];

/** A field of a config: its name and its space (plain values become fixed spaces). */
export interface ConfigField {
  readonly name: string;
  readonly space: import("./space.js").AnySpace;
}

/** A `refine` constraint: combinations for which `predicate` is false are forbidden. */
export interface Constraint {
  readonly predicate: (config: any) => boolean;
  readonly message: string;
}

/** The config type of a field shape. */
export type ConfigOutput<Shape> = Simplify<{ -readonly [K in keyof Shape]: Infer<Shape[K]> }>;

// ---- compile-time checks of condition paths -------------------------------------------------

type RootOf<P extends string> = P extends `${infer R}.${string}` ? R : P;
type RestOf<P extends string> = P extends `${string}.${infer Rest}` ? Rest : never;
type PathOk<Shape, P extends string> =
  RootOf<P> extends keyof Shape
    ? P extends `${string}.${string}`
      ? Shape[RootOf<P> & keyof Shape] extends ConfigSpace<string, infer S, any>
        ? PathOk<S, RestOf<P>>
        : false
      : true
    : false;
type BadPaths<Shape, P extends string> = string extends P
  ? never // a path only known at run time (e.g. from JSON) is checked at run time
  : P extends unknown
    ? PathOk<Shape, P> extends true
      ? never
      : P
    : never;

/** A type that no space satisfies, whose property name reads as the error. */
interface UnknownFieldInCondition<P extends string> {
  readonly "~error": `a condition reads field "${P}", which this config does not have`;
}

/**
 * Maps each conditional field whose conditions read unknown fields to an error type, so that
 * `sp.config` rejects `sp.field("typo")` at compile time.
 */
export type CheckConditions<Shape> = {
  [K in keyof Shape]: Shape[K] extends ConditionalSpace<any, infer P>
    ? [BadPaths<Shape, P>] extends [never]
      ? Shape[K]
      : UnknownFieldInCondition<BadPaths<Shape, P>>
    : Shape[K];
};

// ---- override types ---------------------------------------------------------------------------

/** A narrower range for a number: any of the bound keys, `step`, and `log` (which must not change). */
export interface RangeOverride {
  gt?: number;
  ge?: number;
  lt?: number;
  le?: number;
  step?: number;
  log?: boolean;
}

/** The names of the config choices in a categorical's value type (`"Adam" | "Sgd"`). */
type ConfigNames<T> = T extends { readonly __type__: infer N } ? N : never;

/** What an override may say about one field, by the field's space. */
export type FieldOverride<S> = S extends NumberSpace
  ? number | readonly number[] | RangeOverride
  : S extends CategoricalSpace<infer T>
    ? T | ConfigNames<T> | readonly unknown[] | { readonly [name: string]: unknown } | null
    : S extends ConditionalSpace<any, any>
      ? { readonly true?: unknown; readonly false?: unknown }
      : S extends ConfigSpace<string, infer Sh, any>
        ? OverrideFor<Sh>
        : never;

/**
 * An override for a config: fields that are not mentioned keep their full space. Typed so that
 * a misspelt field name is a compile error in an override written in code.
 */
export type OverrideFor<Shape> = { readonly [K in keyof Shape]?: FieldOverride<Shape[K]> };

/** An override given to `narrow`, `random`, `tree`, …: an object or a loaded override file. */
export type OverrideInput<Shape> = OverrideFor<Shape> | OverrideSource;

/** Options of {@link ConfigSpace.random}. */
export interface RandomOptions<Shape> {
  /** Seed of CPython's Mersenne Twister; the same seed gives the same config everywhere. */
  seed?: number | bigint;
  /** Narrow the space first. */
  override?: OverrideInput<Shape>;
  /** Draws allowed per config before a `refine` constraint is declared unsatisfiable (default 1000). */
  maxTries?: number;
}

/**
 * A named config space. Build it with {@link config}; its methods sample, validate, narrow,
 * draw and serialize configs of type `Out`.
 */
export class ConfigSpace<
  N extends string = string,
  Shape = any,
  Out = ConfigOutput<Shape>,
> extends Space<Out> {
  declare readonly "~shape": Shape;
  readonly kind = "config" as const;
  readonly name: N;
  /** Fields in declaration order (the order of keys in configs and files). */
  readonly fields: readonly ConfigField[];
  /** Field indexes in sampling and validation order (SpaX's order). */
  readonly order: readonly number[];
  /** Per field, the indexes of the sibling fields its conditions read. */
  readonly dependencies: readonly (readonly number[])[];
  readonly constraints: readonly Constraint[];
  readonly description: string | undefined;
  /** Per field (declaration index), how to decide it: conditions bound to slots. */
  readonly plans: readonly FieldPlan[];
  /** Per field: whether its name is also an `Object.prototype` member (`toString`, `constructor`). */
  readonly inheritedNames: readonly boolean[];
  private readonly index: ReadonlyMap<string, number>;
  private builders: [Builder, Builder] | undefined;

  constructor(
    name: N,
    fields: Readonly<Record<string, unknown>> | readonly ConfigField[],
    rawOptions: {
      description?: string;
      constraints?: readonly Constraint[];
      checkConditions?: boolean;
    } = {},
    path: readonly PathSegment[] = [],
  ) {
    super();
    const options = optionsObject(
      rawOptions,
      "sp.config",
      SpaxDefinitionError,
    ) as typeof rawOptions;
    if (options.description !== undefined && typeof options.description !== "string") {
      throw new SpaxDefinitionError(
        `sp.config: description must be a string, got ${formatValue(options.description)}`,
        {
          path,
          code: "invalid_option",
        },
      );
    }
    const fail = (why: string, code: string, at: readonly PathSegment[] = []): never => {
      throw new SpaxDefinitionError(why, { path: [...path, ...at], code });
    };
    if (typeof name !== "string" || name === "" || name.includes(".") || name.includes(":")) {
      fail(
        `sp.config: the name must be a non-empty string without '.' or ':' (they separate parameter names), got ${formatValue(name)}`,
        "invalid_config_name",
      );
    }
    const here = [...path, name];
    this.name = name;
    let list: ConfigField[];
    if (Array.isArray(fields)) {
      // The list form `[{ name, space }]` (used by narrowing and spaceFromJSON).
      list = fields.map((f: unknown, i) => {
        if (!isPlainObject(f) || !isSpace(f.space)) {
          return fail(
            `field ${i} must be { name, space } with a space, got ${formatValue(f)}`,
            "invalid_fields",
          );
        }
        return { name: f.name as string, space: f.space };
      });
    } else {
      if (!isPlainObject(fields)) {
        fail(
          `sp.config(${JSON.stringify(name)}): fields must be an object, got ${formatValue(fields)}`,
          "invalid_fields",
        );
      }
      list = Object.keys(fields).map((key) => {
        const value = (fields as Record<string, unknown>)[key];
        if (value === undefined) {
          fail("is undefined; give a space, a value, or null", "undefined_field", [name, key]);
        }
        return { name: key, space: isSpace(value) ? value : new FixedSpace(value, [...here, key]) };
      });
    }
    const index = new Map<string, number>();
    list.forEach((f, i) => {
      if (typeof f.name !== "string" || f.name === "")
        fail("field names must be non-empty strings", "invalid_field_name", [name]);
      if (f.name === "__type__")
        fail("__type__ is reserved for the config name in files", "reserved_field_name", [name]);
      if (f.name.includes(".")) {
        fail(
          `field name ${JSON.stringify(f.name)} contains '.', which separates dotted paths`,
          "invalid_field_name",
          [name],
        );
      }
      if (index.has(f.name))
        fail(`field ${JSON.stringify(f.name)} is declared twice`, "duplicate_field", [name]);
      index.set(f.name, i);
    });
    this.fields = list;
    this.index = index;
    // Comparisons are checked against the fields as the user defined them; a narrowed copy
    // legitimately holds conditions that became constant (`optimizer == 'sgd'` after fixing adam).
    this.dependencies = analyseDependencies(list, index, here, options.checkConditions ?? true);
    this.order = fieldOrder(list, this.dependencies, here);
    const read = slotReader(index);
    this.plans = list.map((f) => planField(f.space, read));
    this.inheritedNames = list.map((f) => f.name in Object.prototype);
    this.constraints = options.constraints ?? [];
    this.description = options.description;
  }

  /**
   * Builds a config object from slots (values by declaration index); `tagged` adds `__type__`.
   * Compiled on first use.
   */
  build(slots: readonly unknown[], tagged: boolean): Record<string, unknown> {
    if (this.builders === undefined) {
      const names = this.fields.map((f) => f.name);
      this.builders = [compileBuilder(names), compileBuilder(names, this.name)];
    }
    return this.builders[tagged ? 1 : 0](slots);
  }

  /** The field named `name`, or `undefined`. */
  field(name: string): ConfigField | undefined {
    const i = this.index.get(name);
    return i === undefined ? undefined : this.fields[i];
  }

  /** Index of the field named `name` in declaration order, or -1. */
  fieldIndex(name: string): number {
    return this.index.get(name) ?? -1;
  }

  /**
   * Forbids combinations: configs for which `predicate` returns false are invalid, and sampling
   * redraws until it holds (ConfigSpace's forbidden clauses). Returns a new config space.
   * @example
   * const Batch = sp.config("Batch", { size: sp.int({ ge: 8, le: 512 }), gpus: sp.int({ ge: 1, le: 8 }) })
   *   .refine((c) => c.size * c.gpus <= 1024, "total batch must be <= 1024");
   */
  refine(predicate: (config: Out) => boolean, message: string): ConfigSpace<N, Shape, Out> {
    if (typeof predicate !== "function") {
      throw new SpaxDefinitionError(
        `refine needs a predicate function, got ${formatValue(predicate)}`,
        {
          path: [this.name],
          code: "invalid_constraint",
        },
      );
    }
    if (typeof message !== "string" || message === "") {
      throw new SpaxDefinitionError("refine needs a message saying what the constraint forbids", {
        path: [this.name],
        code: "invalid_constraint",
      });
    }
    return this.rebuild(this.fields, [...this.constraints, { predicate, message }]);
  }

  /** A config space with the same name and description but other fields or constraints. */
  rebuild(
    fields: readonly ConfigField[],
    constraints: readonly Constraint[] = this.constraints,
  ): ConfigSpace<N, Shape, Out> {
    return new ConfigSpace<N, Shape, Out>(this.name, fields, {
      description: this.description,
      constraints,
      checkConditions: false,
    });
  }

  /** This space, or the space narrowed by `override` when one is given. */
  /**
   * Checks a method's options (junk is a clear error, not a TypeError) and returns them with
   * the space to work on: this one, or narrowed by `options.override`.
   */
  private use(
    options: unknown,
    method: string,
    keys: readonly string[],
  ): { space: ConfigSpace<N, Shape, Out>; o: Record<string, unknown> } {
    // Checked without allocating: random() runs this for every sampled config.
    if (options !== undefined && !isPlainObject(options)) {
      throw new SpaxError(
        `${this.name}.${method}(): options must be an object, got ${formatValue(options)}`,
        {
          code: "invalid_options",
        },
      );
    }
    const o = (options ?? NO_OPTIONS) as Record<string, unknown>;
    for (const key in o) {
      if (!keys.includes(key)) {
        throw new SpaxError(
          `${this.name}.${method}(): unknown option ${JSON.stringify(key)}; expected ${keys.join(", ")}`,
          { code: "invalid_option" },
        );
      }
    }
    const override = o.override as OverrideInput<Shape> | undefined;
    return { space: override === undefined ? this : this.narrow(override), o };
  }

  /**
   * One random config. With a seed it reproduces SpaX's `Config.random(seed)` exactly (CPython's
   * Mersenne Twister, same draws, same field order); without one it uses fresh entropy.
   * @throws SpaxSamplingError when a `refine` constraint is not met within `maxTries` draws.
   * @example
   * const cfg = Training.random({ seed: 42 });
   */
  random(options: RandomOptions<Shape> = {}): Out {
    const { space, o } = this.use(options, "random", RANDOM_KEYS);
    const maxTries = readMaxTries(o.maxTries);
    // Generators are reused: seeding in place costs less than allocating one per config.
    const rng =
      rngPool.pop()?.seed(o.seed as number | undefined) ??
      new PyRandom(o.seed as number | undefined);
    try {
      return sampleRandom(space, rng, maxTries) as Out;
    } finally {
      rngPool.push(rng);
    }
  }

  /**
   * A config drawn through any sampler with `suggestFloat`/`suggestInt`/`suggestCategorical`,
   * using SpaX's parameter names (`Training.optimizer::Adam.lr`).
   * @throws SpaxSamplingError when the sampler returns a value outside the space it was asked for.
   */
  sample(
    sampler: SpaceSampler,
    options: { override?: OverrideInput<Shape>; maxTries?: number } = {},
  ): Out {
    const { space, o } = this.use(options, "sample", SAMPLE_KEYS);
    return sampleWith(space, sampler, readMaxTries(o.maxTries)) as Out;
  }

  /**
   * A config drawn through a study trial (Optuna-style `suggest*` methods), under SpaX's
   * parameter names. Same as {@link sample}.
   */
  fromTrial(trial: SpaceSampler, options: { override?: OverrideInput<Shape> } = {}): Out {
    return this.sample(trial, options);
  }

  /**
   * Validates a concrete config and returns it typed, with defaults filled in.
   * @throws SpaxValidationError listing every issue with its path, rule and value.
   * @example
   * const cfg = Training.parse(JSON.parse(text));
   */
  parse(data: unknown): Out {
    const result = validateConfig(this, data);
    if (!result.success) throw new SpaxValidationError(result.issues, this.name);
    return result.data as Out;
  }

  /** Like {@link parse} but never throws: `{ success: true, data }` or `{ success: false, error, issues }`. */
  safeParse(data: unknown): SafeParseResult<Out> {
    const result = validateConfig(this, data);
    if (result.success) return result as SafeParseResult<Out>;
    return {
      success: false,
      issues: result.issues,
      error: new SpaxValidationError(result.issues, this.name),
    };
  }

  /**
   * The space narrowed by an override (a new space; this one is untouched). An override only
   * narrows: it fixes fields, keeps subsets of choices, narrows ranges or lists values.
   * @throws SpaxOverrideError naming the override path when it widens, names an unknown field,
   * fixes a fixed field or has the wrong type.
   * @example
   * const Narrow = Training.narrow({ learningRate: { ge: 1e-4, le: 1e-2 }, optimizer: ["adam", "sgd"] });
   */
  narrow(override: OverrideInput<Shape>): ConfigSpace<N, Shape, Out> {
    return narrowConfig(this, override) as ConfigSpace<N, Shape, Out>;
  }

  /** The space drawn as a tree (SPEC §5), narrowed first when `override` is given. */
  tree(options: { override?: OverrideInput<Shape> } = {}): string {
    return renderTree(this.use(options, "tree", OVERRIDE_KEY).space);
  }

  /** SpaX's names of the searched parameters, in sampling order. */
  parameterNames(options: { override?: OverrideInput<Shape> } = {}): string[] {
    return parameterNames(this.use(options, "parameterNames", OVERRIDE_KEY).space);
  }

  /** The override that reproduces this space: a starting point for an override file. */
  overrideTemplate(): Record<string, unknown> {
    return overrideTemplate(this);
  }

  /**
   * Every config of a finite space, each once, conditionals and constraints respected.
   * @throws SpaxDefinitionError naming a continuous field (floats need a `step` or a list override).
   * @example
   * for (const cfg of Small.grid()) console.log(cfg);
   */
  grid(options: { override?: OverrideInput<Shape> } = {}): Generator<Out, void, undefined> {
    return enumerateGrid(this.use(options, "grid", OVERRIDE_KEY).space) as Generator<
      Out,
      void,
      undefined
    >;
  }

  /**
   * Writes a config as JSON, YAML or TOML; nested configs carry `__type__` (SpaX's format).
   * @throws SpaxValidationError when `config` is not a valid config of this space.
   */
  dump(config: Out, format: DataFormat = "json"): string {
    return dumpConfig(this, config, format);
  }

  /**
   * Reads a config written by {@link dump} (or by SpaX) and validates it.
   * @throws SpaxSyntaxError for malformed text (with line and column), SpaxValidationError for an invalid config.
   */
  load(text: string, format: DataFormat = "json", options: { file?: string } = {}): Out {
    const file = optionsObject(options, `${this.name}.load()`).file;
    if (file !== undefined && typeof file !== "string") {
      throw new SpaxError(`${this.name}.load(): file must be a string, got ${formatValue(file)}`, {
        code: "invalid_option",
      });
    }
    return loadConfig(this, text, format, file) as Out;
  }

  /** The space itself as JSON-compatible data; `sp.spaceFromJSON` reads it back. */
  toJSON(): SpaceJson {
    return spaceToJSON(this);
  }
}

/**
 * A named config: each field is a space (`sp.float`, `sp.categorical`, a nested config, …) or a
 * plain value (fixed). Its type is `sp.Infer<typeof X>`.
 * @throws SpaxDefinitionError for conditions on unknown fields, dotted paths through non-configs,
 * impossible comparisons, cycles and self-references, duplicate or reserved field names.
 * @example
 * const Training = sp.config("Training", {
 *   learningRate: sp.float({ ge: 1e-5, le: 1e-1, log: true }),
 *   useDropout: sp.boolean(),
 *   dropoutRate: sp.conditional(sp.field("useDropout").eq(true), {
 *     true: sp.float({ ge: 0.1, le: 0.5 }),
 *     false: 0,
 *   }),
 *   name: "baseline",
 * });
 * type Training = sp.Infer<typeof Training>;
 */
export function config<
  const N extends string,
  const F extends Readonly<Record<string, FieldInput>>,
>(name: N, fields: F & CheckConditions<F>, options?: { description?: string }): ConfigSpace<N, F> {
  if (!isPlainObject(fields)) {
    throw new SpaxDefinitionError(
      `sp.config(${formatValue(name)}): fields must be an object { name: space | value }, got ${formatValue(fields)}`,
      {
        code: "invalid_fields",
      },
    );
  }
  return new ConfigSpace<N, F>(name, fields, options);
}
