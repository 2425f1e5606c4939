/**
 * A space as JSON-compatible data (`toJSON()` / `sp.spaceFromJSON(doc)`), used by the CLI and
 * stored with studies. Custom predicates (`test` conditions, `refine` constraints) travel as
 * their labels; `spaceFromJSON` reattaches functions given by label, and otherwise builds
 * predicates that throw a clear error if they are ever evaluated.
 * @module
 */
import { formatValue, type PathSegment, SpaxDefinitionError, SpaxError } from "../errors.js";
import { CategoricalSpace, Choice } from "./categorical.js";
import { ConditionalSpace } from "./conditional.js";
import {
  AndCondition,
  type Condition,
  type ConditionJson,
  conditionFromJSON,
  FieldCondition,
  FieldsCondition,
  NotCondition,
  OrCondition,
} from "./conditions.js";
import { type ConfigField, ConfigSpace, type Constraint } from "./config.js";
import { FixedSpace } from "./fixed.js";
import { FloatSpace, IntSpace, type NumberSpace } from "./number.js";
import { type AnySpace, unreachable } from "./space.js";
import { isPlainObject, type JsonValue, optionsObject } from "./values.js";

/** A number space as data: one of gt/ge and one of lt/le. */
export interface NumberJson {
  type: "float" | "int";
  gt?: number;
  ge?: number;
  lt?: number;
  le?: number;
  log?: true;
  step?: number;
  default?: number;
  description?: string;
}

/** Any space as data. */
export type SpaceNodeJson =
  | NumberJson
  | {
      type: "categorical";
      choices: ({ value: JsonValue; weight?: number } | { config: ConfigJson; weight?: number })[];
      default?: JsonValue;
      description?: string;
    }
  | {
      type: "conditional";
      condition: ConditionJson;
      true: SpaceNodeJson;
      false: SpaceNodeJson;
      description?: string;
    }
  | { type: "fixed"; value: JsonValue }
  | ConfigJson;

/** A config as data; fields keep their declaration order as a list. */
export interface ConfigJson {
  type: "config";
  name: string;
  fields: { name: string; space: SpaceNodeJson }[];
  constraints?: { message: string }[];
  description?: string;
}

/** The document `toJSON()` writes. */
export interface SpaceJson {
  spax: 1;
  space: ConfigJson;
}

/** The data form of a config space. */
export function spaceToJSON(config: ConfigSpace<string, any, unknown>): SpaceJson {
  return { spax: 1, space: configJson(config, new Map()) };
}

/** Label → function of every predicate written so far; a label must name one function. */
type Labels = Map<string, unknown>;

/**
 * Predicates travel by label, so two different functions under one label could not be told
 * apart when the space is read back: refuse to write such a space.
 */
function noteLabel(labels: Labels, label: string, fn: unknown): void {
  const known = labels.get(label);
  // Equal source text counts as the same predicate: a config built twice by one factory has
  // two closures of one function.
  if (known !== undefined && known !== fn && String(known) !== String(fn)) {
    throw new SpaxDefinitionError(
      `two different predicates share the label ${JSON.stringify(label)}, so the space cannot be written and read back; give each a distinct label (.test(fn, label), .refine(fn, message))`,
      { code: "ambiguous_function" },
    );
  }
  labels.set(label, fn);
}

function noteConditionLabels(labels: Labels, c: Condition): void {
  if (c instanceof FieldCondition) {
    if (c.op === "test") noteLabel(labels, c.render(), c.predicate);
  } else if (c instanceof FieldsCondition) {
    noteLabel(labels, c.render(), c.predicate);
  } else if (c instanceof AndCondition || c instanceof OrCondition) {
    for (const child of c.conditions) noteConditionLabels(labels, child);
  } else if (c instanceof NotCondition) {
    noteConditionLabels(labels, c.condition);
  }
}

function configJson(config: ConfigSpace<string, any, unknown>, labels: Labels): ConfigJson {
  const out: ConfigJson = {
    type: "config",
    name: config.name,
    fields: config.fields.map((f) => ({ name: f.name, space: nodeJson(f.space, labels) })),
  };
  for (const c of config.constraints) noteLabel(labels, c.message, c.predicate);
  if (config.constraints.length > 0)
    out.constraints = config.constraints.map((c) => ({ message: c.message }));
  if (config.description !== undefined) out.description = config.description;
  return out;
}

function numberJson(space: NumberSpace): NumberJson {
  const out: NumberJson = { type: space.kind };
  out[space.lowInclusive ? "ge" : "gt"] = space.low;
  out[space.highInclusive ? "le" : "lt"] = space.high;
  if (space.log) out.log = true;
  if (space.step !== undefined) out.step = space.step;
  if (space.default !== undefined) out.default = space.default;
  if (space.description !== undefined) out.description = space.description;
  return out;
}

function nodeJson(space: AnySpace, labels: Labels): SpaceNodeJson {
  switch (space.kind) {
    case "float":
    case "int":
      return numberJson(space);
    case "categorical": {
      const out: SpaceNodeJson = {
        type: "categorical",
        choices: space.entries.map((e) => {
          const w = space.uniform && e.weight === 1 ? {} : { weight: e.weight };
          return e.config
            ? { config: configJson(e.config, labels), ...w }
            : { value: e.value as JsonValue, ...w };
        }),
      };
      if (space.hasDefault) out.default = space.default as JsonValue;
      if (space.description !== undefined) out.description = space.description;
      return out;
    }
    case "conditional": {
      noteConditionLabels(labels, space.condition);
      const out: SpaceNodeJson = {
        type: "conditional",
        condition: space.condition.toJSON(),
        true: nodeJson(space.ifTrue, labels),
        false: nodeJson(space.ifFalse, labels),
      };
      if (space.description !== undefined) out.description = space.description;
      return out;
    }
    case "config":
      return configJson(space, labels);
    case "fixed":
      return { type: "fixed", value: space.value };
    default:
      return unreachable(space);
  }
}

/** Options of {@link spaceFromJSON}. */
export interface SpaceFromJSONOptions {
  /** Functions of `test` conditions and `refine` constraints, by label / message. */
  functions?: Readonly<Record<string, (value: any) => boolean>>;
  /**
   * Load even when some predicates' functions are not given (default false: that is an
   * error). Such predicates throw if evaluated; drawing the tree or reading the structure works.
   */
  allowMissingFunctions?: boolean;
}

/**
 * Rebuilds a config space from the data `toJSON()` wrote.
 * @throws SpaxDefinitionError naming the path of the first malformed entry.
 * @example
 * const Same = sp.spaceFromJSON(JSON.parse(JSON.stringify(Training)));
 */
export function spaceFromJSON(
  doc: unknown,
  options: SpaceFromJSONOptions = {},
): ConfigSpace<string, any, Record<string, unknown>> {
  const o = optionsObject(options, "spaceFromJSON", SpaxDefinitionError);
  const functions = (o.functions ?? {}) as Functions;
  if (!isPlainObject(functions) || Object.values(functions).some((f) => typeof f !== "function")) {
    throw new SpaxDefinitionError(
      "spaceFromJSON: functions must be an object of functions by label",
      {
        code: "invalid_options",
      },
    );
  }
  if (!isPlainObject(doc) || doc.spax !== 1) {
    throw new SpaxDefinitionError(
      `expected a spax space document { "spax": 1, "space": … }, got ${formatValue(doc)}`,
      {
        code: "invalid_space_json",
      },
    );
  }
  // Record which labels the document asks for, to refuse missing or ambiguous functions now
  // rather than when a sample first evaluates them.
  const asked: string[] = [];
  const recording = new Proxy(functions, {
    get: (target, key) => {
      if (typeof key === "string") asked.push(key);
      return Object.hasOwn(target, key) ? target[key as string] : undefined;
    },
  });
  const space = nodeFrom(doc.space, ["space"], recording);
  const missing = [...new Set(asked.filter((l) => !Object.hasOwn(functions, l)))];
  if (missing.length > 0 && o.allowMissingFunctions !== true) {
    throw new SpaxDefinitionError(
      `the space has predicates whose functions were not given: ${missing.map((l) => JSON.stringify(l)).join(", ")}; pass them as spaceFromJSON(doc, { functions: { label: fn } }) (or allowMissingFunctions: true to load the structure only)`,
      { code: "missing_function" },
    );
  }
  if (space.kind !== "config") {
    throw new SpaxDefinitionError(`the root must be a config, got ${space.kind}`, {
      path: ["space"],
      code: "invalid_space_json",
    });
  }
  return space as ConfigSpace<string, any, Record<string, unknown>>;
}

type Functions = Readonly<Record<string, (value: any) => boolean>>;

/** The keys each kind of space node may have; anything else is a malformed document. */
const NODE_KEYS: Record<string, readonly string[]> = {
  float: ["type", "gt", "ge", "lt", "le", "log", "step", "default", "description"],
  int: ["type", "gt", "ge", "lt", "le", "log", "step", "default", "description"],
  categorical: ["type", "choices", "default", "description"],
  conditional: ["type", "condition", "true", "false", "description"],
  fixed: ["type", "value"],
  config: ["type", "name", "fields", "constraints", "description"],
};

function nodeFrom(doc: unknown, path: PathSegment[], functions: Functions): AnySpace {
  const fail = (why: string, at: PathSegment[] = path): never => {
    throw new SpaxDefinitionError(why, { path: at, code: "invalid_space_json" });
  };
  if (!isPlainObject(doc)) return fail(`expected a space object, got ${formatValue(doc)}`);
  const allowed = NODE_KEYS[doc.type as string];
  if (allowed === undefined) return fail(`unknown space type ${formatValue(doc.type)}`);
  const extra = Object.keys(doc).find((k) => !allowed.includes(k));
  if (extra !== undefined) {
    return fail(
      `unknown key ${JSON.stringify(extra)} in a ${doc.type as string} space (expected ${allowed.join(", ")})`,
    );
  }
  switch (doc.type) {
    case "float":
    case "int": {
      if (doc.ge !== undefined && doc.gt !== undefined)
        return fail("give one lower bound (ge or gt), not both");
      if (doc.le !== undefined && doc.lt !== undefined)
        return fail("give one upper bound (le or lt), not both");
      if (doc.log !== undefined && typeof doc.log !== "boolean")
        return fail(`log must be a boolean, got ${formatValue(doc.log)}`);
      if ((doc.ge ?? doc.gt) === undefined || (doc.le ?? doc.lt) === undefined)
        return fail("a number space needs a lower (ge|gt) and an upper (le|lt) bound");
      const spec = {
        low: (doc.ge ?? doc.gt) as number,
        high: (doc.le ?? doc.lt) as number,
        lowInclusive: doc.ge !== undefined,
        highInclusive: doc.le !== undefined,
        log: doc.log === true,
        step: doc.step as number | undefined,
        default: doc.default as number | undefined,
        description: doc.description as string | undefined,
      };
      return doc.type === "int" ? new IntSpace(spec, path) : new FloatSpace(spec, path);
    }
    case "categorical": {
      if (!Array.isArray(doc.choices)) return fail("a categorical needs a choices list");
      const choices = doc.choices.map((c, i) => {
        const at = [...path, "choices", i];
        const keys = isPlainObject(c) ? Object.keys(c).filter((k) => k !== "weight") : [];
        if (
          !isPlainObject(c) ||
          keys.length !== 1 ||
          (keys[0] !== "value" && keys[0] !== "config")
        ) {
          return fail(
            `expected { value, weight? } or { config, weight? }, got ${formatValue(c)}`,
            at,
          );
        }
        const weight = c.weight ?? 1;
        const value = "config" in c ? nodeFrom(c.config, [...at, "config"], functions) : c.value;
        return new Choice(value, weight as number);
      });
      return new CategoricalSpace(
        choices,
        {
          ...(doc.default !== undefined ? { default: doc.default } : {}),
          description: doc.description as string | undefined,
        },
        path,
      );
    }
    case "conditional": {
      let condition: unknown;
      try {
        condition = conditionFromJSON(doc.condition, functions);
      } catch (cause) {
        if (cause instanceof SpaxError) fail(cause.message, [...path, "condition"]);
        throw cause;
      }
      return new ConditionalSpace(
        condition,
        {
          true: nodeFrom(doc.true, [...path, "true"], functions),
          false: nodeFrom(doc.false, [...path, "false"], functions),
        },
        { description: doc.description as string | undefined },
        path,
      );
    }
    case "fixed":
      if (!("value" in doc)) return fail("a fixed space needs a value");
      return new FixedSpace(doc.value, path);
    case "config": {
      if (!Array.isArray(doc.fields)) return fail("a config needs a fields list");
      const fields: ConfigField[] = doc.fields.map((f, i) => {
        const at = [...path, "fields", i];
        if (!isPlainObject(f) || typeof f.name !== "string")
          return fail("expected { name, space }", at);
        return { name: f.name, space: nodeFrom(f.space, [...at, "space"], functions) };
      });
      const constraints: Constraint[] = [];
      if (doc.constraints !== undefined) {
        if (!Array.isArray(doc.constraints)) return fail("constraints must be a list");
        for (const c of doc.constraints) {
          if (!isPlainObject(c) || typeof c.message !== "string")
            return fail("a constraint is { message }", [...path, "constraints"]);
          const message = c.message;
          constraints.push({
            message,
            predicate:
              functions[message] ??
              (() => {
                throw new SpaxError(
                  `constraint "${message}" was loaded from JSON without its function; pass it as spaceFromJSON(doc, { functions: { ${JSON.stringify(message)}: fn } })`,
                  { code: "missing_function" },
                );
              }),
          });
        }
      }
      return new ConfigSpace(
        doc.name as string,
        fields,
        { description: doc.description as string | undefined, constraints },
        path,
      );
    }
    default:
      return fail(`unknown space type ${formatValue(doc.type)}`);
  }
}
