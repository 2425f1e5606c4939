/**
 * Conditions decide which branch of a conditional is active. They read fields of the config
 * being built (siblings, or fields of nested configs by dotted path), compare by value and
 * type, and render as text for the tree: `batch_size <= 32`, `a > 1 and b == 'x'`.
 * @module
 */
import { formatValue, SpaxDefinitionError, SpaxError } from "../errors.js";
import { formatJson, freezeJson, type JsonValue, jsonEquals } from "./values.js";

/** A condition as data, for `toJSON()` / `spaceFromJSON()`. */
export type ConditionJson =
  | { field: string; op: "eq" | "ne"; value: JsonValue }
  | { field: string; op: "in" | "not_in"; values: JsonValue[] }
  | { field: string; op: "gt" | "ge" | "lt" | "le"; value: number }
  | { field: string; op: "is_config"; config: string }
  | { field: string; op: "test"; label: string }
  | { fields: string[]; op: "test"; label: string }
  | { and: ConditionJson[] }
  | { or: ConditionJson[] }
  | { not: ConditionJson };

/** The values a condition reads: fields decided so far, by name. */
export type FieldValues = Readonly<Record<string, unknown>>;

/**
 * A config's field values during sampling and validation, by declaration index. Conditions are
 * bound to these slots once per config, so the hot paths read an array instead of looking
 * field names up.
 */
export type Slots = readonly unknown[];

/** A compiled condition over slots. */
export type BoundCondition = (slots: Slots) => boolean;

/** Makes a reader of a dotted field path from slots (supplied by the config). */
export type PathReader = (segments: readonly string[]) => (slots: Slots) => unknown;

/**
 * A condition over fields of a config. `P` is the union of the field paths it reads, which
 * lets `sp.config` reject unknown field names at compile time.
 */
export abstract class Condition<P extends string = string> {
  declare readonly "~paths": P;
  /** True when the condition holds for `values` (the config's fields decided so far). */
  abstract evaluate(values: FieldValues): boolean;
  /** The condition compiled against a config's slots (see {@link Slots}). */
  abstract bind(read: PathReader): BoundCondition;
  /** Every field path the condition reads, as written. */
  abstract paths(): string[];
  /** Text for the tree: `batch_size <= 32`. */
  abstract render(): string;
  /** The condition as data. */
  abstract toJSON(): ConditionJson;
  /** Renders the condition (same as {@link render}). */
  toString(): string {
    return this.render();
  }
}

type Comparison = "eq" | "ne" | "in" | "not_in" | "gt" | "ge" | "lt" | "le" | "is_config" | "test";

const OPERATOR_TEXT: Record<"eq" | "ne" | "gt" | "ge" | "lt" | "le", string> = {
  eq: "==",
  ne: "!=",
  gt: ">",
  ge: ">=",
  lt: "<",
  le: "<=",
};

/** Splits and checks a dotted field path (`model.depth`). */
export function parseFieldPath(path: unknown): string[] {
  if (typeof path !== "string") {
    throw new SpaxDefinitionError(`a field path must be a string, got ${formatValue(path)}`, {
      code: "invalid_field_path",
    });
  }
  const trimmed = path.trim();
  const segments = trimmed.split(".");
  const empty = segments.indexOf("");
  if (empty >= 0) {
    throw new SpaxDefinitionError(
      `invalid field path ${JSON.stringify(path)}: empty segment at position ${empty}`,
      { code: "invalid_field_path" },
    );
  }
  return segments;
}

/** Reads `segments` from `values`; `undefined` when a step is missing. */
function resolve(values: FieldValues, segments: readonly string[]): unknown {
  let v: unknown = values[segments[0]!];
  for (let i = 1; i < segments.length; i++) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[segments[i]!];
  }
  return v;
}

/**
 * Calls a user predicate and insists on a boolean, so that a predicate returning `1` or
 * `"yes"` is caught instead of silently treated as truthy.
 */
function callPredicate(fn: (value: never) => unknown, arg: unknown, what: string): boolean {
  let result: unknown;
  try {
    result = fn(arg as never);
  } catch (cause) {
    throw new SpaxError(
      `${what} threw: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        code: "condition_threw",
        cause,
      },
    );
  }
  if (typeof result !== "boolean") {
    throw new SpaxError(`${what} must return a boolean, got ${formatValue(result)}`, {
      code: "condition_not_boolean",
    });
  }
  return result;
}

/** A comparison of one field (by dotted path) with a value. Built by {@link field}. */
export class FieldCondition<P extends string = string> extends Condition<P> {
  /** The path as written, e.g. `model.depth`. */
  readonly path: string;
  /** The path split on dots. */
  readonly segments: readonly string[];
  readonly op: Comparison;
  /** The compared value (`eq`, `ne`, `gt`…), the list (`in`, `not_in`) or the config name (`is_config`). */
  readonly operand: unknown;
  readonly predicate: ((value: never) => unknown) | undefined;
  readonly label: string | undefined;

  constructor(
    path: string,
    op: Comparison,
    operand: unknown,
    predicate?: (value: never) => unknown,
    label?: string,
  ) {
    super();
    this.segments = parseFieldPath(path);
    this.path = this.segments.join(".");
    this.op = op;
    this.operand = operand;
    this.predicate = predicate;
    this.label = label;
  }

  evaluate(values: FieldValues): boolean {
    const v = resolve(values, this.segments);
    const operand = this.operand;
    switch (this.op) {
      case "eq":
        return v === operand || jsonEquals(v, operand);
      case "ne":
        return !(v === operand || jsonEquals(v, operand));
      case "in":
        return (operand as JsonValue[]).some((o) => v === o || jsonEquals(v, o));
      case "not_in":
        return !(operand as JsonValue[]).some((o) => v === o || jsonEquals(v, o));
      case "gt":
        return typeof v === "number" && v > (operand as number);
      case "ge":
        return typeof v === "number" && v >= (operand as number);
      case "lt":
        return typeof v === "number" && v < (operand as number);
      case "le":
        return typeof v === "number" && v <= (operand as number);
      case "is_config":
        return (
          v !== null && typeof v === "object" && (v as { __type__?: unknown }).__type__ === operand
        );
      case "test":
        return callPredicate(this.predicate!, v, `condition ${this.render()}`);
    }
  }

  bind(read: PathReader): BoundCondition {
    const get = read(this.segments);
    const operand = this.operand;
    const primitive = operand === null || typeof operand !== "object";
    switch (this.op) {
      case "eq":
        return primitive ? (s) => get(s) === operand : (s) => jsonEquals(get(s), operand);
      case "ne":
        return primitive ? (s) => get(s) !== operand : (s) => !jsonEquals(get(s), operand);
      case "in":
      case "not_in": {
        const list = operand as JsonValue[];
        const inList = (v: unknown) => list.some((o) => v === o || jsonEquals(v, o));
        return this.op === "in" ? (s) => inList(get(s)) : (s) => !inList(get(s));
      }
      case "gt":
        return (s) => {
          const v = get(s);
          return typeof v === "number" && v > (operand as number);
        };
      case "ge":
        return (s) => {
          const v = get(s);
          return typeof v === "number" && v >= (operand as number);
        };
      case "lt":
        return (s) => {
          const v = get(s);
          return typeof v === "number" && v < (operand as number);
        };
      case "le":
        return (s) => {
          const v = get(s);
          return typeof v === "number" && v <= (operand as number);
        };
      case "is_config":
        return (s) => {
          const v = get(s);
          return (
            v !== null &&
            typeof v === "object" &&
            (v as { __type__?: unknown }).__type__ === operand
          );
        };
      case "test": {
        const what = `condition ${this.render()}`;
        return (s) => callPredicate(this.predicate!, get(s), what);
      }
    }
  }

  paths(): string[] {
    return [this.path];
  }

  render(): string {
    switch (this.op) {
      case "in":
        return `${this.path} in ${formatJson(this.operand)}`;
      case "not_in":
        return `${this.path} not in ${formatJson(this.operand)}`;
      case "is_config":
        return `${this.path} is ${this.operand as string}`;
      case "test":
        return this.label ?? `${this.predicate!.name || "test"}(${this.path})`;
      default:
        return `${this.path} ${OPERATOR_TEXT[this.op]} ${formatJson(this.operand)}`;
    }
  }

  toJSON(): ConditionJson {
    switch (this.op) {
      case "in":
      case "not_in":
        return { field: this.path, op: this.op, values: [...(this.operand as JsonValue[])] };
      case "is_config":
        return { field: this.path, op: "is_config", config: this.operand as string };
      case "test":
        return { field: this.path, op: "test", label: this.render() };
      case "gt":
      case "ge":
      case "lt":
      case "le":
        return { field: this.path, op: this.op, value: this.operand as number };
      default:
        return { field: this.path, op: this.op, value: this.operand as JsonValue };
    }
  }
}

/** A predicate over several fields at once (SpaX's `MultiFieldLambdaCondition`). */
export class FieldsCondition<P extends string = string> extends Condition<P> {
  readonly fieldPaths: readonly string[];
  private readonly segments: readonly (readonly string[])[];
  readonly predicate: (values: never) => unknown;
  readonly label: string | undefined;

  constructor(paths: readonly string[], predicate: (values: never) => unknown, label?: string) {
    super();
    if (!Array.isArray(paths) || paths.length === 0) {
      throw new SpaxDefinitionError("sp.fields needs a non-empty array of field paths", {
        code: "invalid_condition",
      });
    }
    this.segments = paths.map(parseFieldPath);
    this.fieldPaths = this.segments.map((s) => s.join("."));
    const dup = this.fieldPaths.find((p, i) => this.fieldPaths.indexOf(p) !== i);
    if (dup !== undefined) {
      throw new SpaxDefinitionError(`sp.fields lists ${JSON.stringify(dup)} twice`, {
        code: "invalid_condition",
      });
    }
    if (typeof predicate !== "function") {
      throw new SpaxDefinitionError(
        `sp.fields needs a predicate function, got ${formatValue(predicate)}`,
        { code: "invalid_condition" },
      );
    }
    this.predicate = predicate;
    this.label = label;
  }

  evaluate(values: FieldValues): boolean {
    const arg: Record<string, unknown> = {};
    for (let i = 0; i < this.fieldPaths.length; i++) {
      arg[this.fieldPaths[i]!] = resolve(values, this.segments[i]!);
    }
    return callPredicate(this.predicate, arg, `condition ${this.render()}`);
  }

  bind(read: PathReader): BoundCondition {
    const getters = this.segments.map(read);
    const paths = this.fieldPaths;
    const what = `condition ${this.render()}`;
    return (s) => {
      const arg: Record<string, unknown> = {};
      for (let i = 0; i < paths.length; i++) arg[paths[i]!] = getters[i]!(s);
      return callPredicate(this.predicate, arg, what);
    };
  }

  paths(): string[] {
    return [...this.fieldPaths];
  }

  render(): string {
    return this.label ?? `${this.predicate.name || "test"}(${this.fieldPaths.join(", ")})`;
  }

  toJSON(): ConditionJson {
    return { fields: [...this.fieldPaths], op: "test", label: this.render() };
  }
}

function checkConditions(conditions: unknown[], what: string): Condition[] {
  if (conditions.length === 0) {
    throw new SpaxDefinitionError(`${what} needs at least one condition`, {
      code: "invalid_condition",
    });
  }
  for (const c of conditions) {
    if (!(c instanceof Condition)) {
      throw new SpaxDefinitionError(
        `${what} takes conditions (sp.field(...).eq(...), sp.and(...), …), got ${formatValue(c)}`,
        { code: "invalid_condition" },
      );
    }
  }
  return conditions as Condition[];
}

/** All of the conditions hold (short-circuits). Built by {@link and}. */
export class AndCondition<P extends string = string> extends Condition<P> {
  readonly conditions: readonly Condition[];
  constructor(conditions: unknown[]) {
    super();
    this.conditions = checkConditions(conditions, "sp.and");
  }
  evaluate(values: FieldValues): boolean {
    for (const c of this.conditions) if (!c.evaluate(values)) return false;
    return true;
  }
  bind(read: PathReader): BoundCondition {
    const parts = this.conditions.map((c) => c.bind(read));
    return (s) => {
      for (const p of parts) if (!p(s)) return false;
      return true;
    };
  }
  paths(): string[] {
    return this.conditions.flatMap((c) => c.paths());
  }
  render(): string {
    return this.conditions
      .map((c) => (c instanceof OrCondition ? `(${c.render()})` : c.render()))
      .join(" and ");
  }
  toJSON(): ConditionJson {
    return { and: this.conditions.map((c) => c.toJSON()) };
  }
}

/** At least one of the conditions holds (short-circuits). Built by {@link or}. */
export class OrCondition<P extends string = string> extends Condition<P> {
  readonly conditions: readonly Condition[];
  constructor(conditions: unknown[]) {
    super();
    this.conditions = checkConditions(conditions, "sp.or");
  }
  evaluate(values: FieldValues): boolean {
    for (const c of this.conditions) if (c.evaluate(values)) return true;
    return false;
  }
  bind(read: PathReader): BoundCondition {
    const parts = this.conditions.map((c) => c.bind(read));
    return (s) => {
      for (const p of parts) if (p(s)) return true;
      return false;
    };
  }
  paths(): string[] {
    return this.conditions.flatMap((c) => c.paths());
  }
  render(): string {
    return this.conditions
      .map((c) => (c instanceof AndCondition ? `(${c.render()})` : c.render()))
      .join(" or ");
  }
  toJSON(): ConditionJson {
    return { or: this.conditions.map((c) => c.toJSON()) };
  }
}

/** The condition does not hold. Built by {@link not}. */
export class NotCondition<P extends string = string> extends Condition<P> {
  readonly condition: Condition;
  constructor(condition: unknown) {
    super();
    this.condition = checkConditions([condition], "sp.not")[0]!;
  }
  evaluate(values: FieldValues): boolean {
    return !this.condition.evaluate(values);
  }
  bind(read: PathReader): BoundCondition {
    const inner = this.condition.bind(read);
    return (s) => !inner(s);
  }
  paths(): string[] {
    return this.condition.paths();
  }
  render(): string {
    return `not (${this.condition.render()})`;
  }
  toJSON(): ConditionJson {
    return { not: this.condition.toJSON() };
  }
}

function finiteNumber(n: unknown, method: string, path: string): number {
  if (typeof n !== "number" || !Number.isFinite(n)) {
    throw new SpaxDefinitionError(
      `sp.field(${JSON.stringify(path)}).${method}() needs a finite number, got ${formatValue(n)}`,
      { code: "invalid_condition" },
    );
  }
  return n;
}

function jsonList(values: unknown, method: string, path: string): JsonValue[] {
  if (!Array.isArray(values) || values.length === 0) {
    throw new SpaxDefinitionError(
      `sp.field(${JSON.stringify(path)}).${method}() needs a non-empty array, got ${formatValue(values)}`,
      { code: "invalid_condition" },
    );
  }
  return values.map((v, i) => freezeJson(v, [], `${method}() value ${i}`));
}

/** Structural view of a config, so conditions can name one without importing config.ts. */
interface NamedConfig {
  readonly kind: "config";
  readonly name: string;
}

/**
 * A reference to a field of the config being defined, by name or dotted path into nested
 * configs. Build conditions from it; equality is by value and type (`1` never equals `true`).
 */
export class FieldRef<P extends string = string> {
  readonly path: P;
  constructor(path: P) {
    parseFieldPath(path);
    this.path = path;
  }
  /** `path == value` (deep equality for arrays and objects). */
  eq<const V extends JsonValue>(value: V): FieldCondition<P> {
    return new FieldCondition(this.path, "eq", freezeJson(value, [], "eq() value"));
  }
  /** `path != value`. */
  ne<const V extends JsonValue>(value: V): FieldCondition<P> {
    return new FieldCondition(this.path, "ne", freezeJson(value, [], "ne() value"));
  }
  /** `path in [values]`. */
  in<const V extends readonly JsonValue[]>(values: V): FieldCondition<P> {
    return new FieldCondition(this.path, "in", jsonList(values, "in", this.path));
  }
  /** `path not in [values]`. */
  notIn<const V extends readonly JsonValue[]>(values: V): FieldCondition<P> {
    return new FieldCondition(this.path, "not_in", jsonList(values, "notIn", this.path));
  }
  /** `path > n` (false for non-numbers). */
  gt(n: number): FieldCondition<P> {
    return new FieldCondition(this.path, "gt", finiteNumber(n, "gt", this.path));
  }
  /** `path >= n`. */
  ge(n: number): FieldCondition<P> {
    return new FieldCondition(this.path, "ge", finiteNumber(n, "ge", this.path));
  }
  /** `path < n`. */
  lt(n: number): FieldCondition<P> {
    return new FieldCondition(this.path, "lt", finiteNumber(n, "lt", this.path));
  }
  /** `path <= n`. */
  le(n: number): FieldCondition<P> {
    return new FieldCondition(this.path, "le", finiteNumber(n, "le", this.path));
  }
  /** The field (a choice among configs) holds the config `config`. */
  isConfig(config: NamedConfig): FieldCondition<P> {
    if (
      config === null ||
      typeof config !== "object" ||
      config.kind !== "config" ||
      typeof config.name !== "string"
    ) {
      throw new SpaxDefinitionError(
        `sp.field(${JSON.stringify(this.path)}).isConfig() needs a config made with sp.config, got ${formatValue(config)}`,
        { code: "invalid_condition" },
      );
    }
    return new FieldCondition(this.path, "is_config", config.name);
  }
  /**
   * A custom predicate on the field's value; it must return a boolean. `label` is how the tree
   * and files show it (default: `fn(path)`).
   */
  test<V = any>(predicate: (value: V) => boolean, label?: string): FieldCondition<P> {
    if (typeof predicate !== "function") {
      throw new SpaxDefinitionError(
        `sp.field(${JSON.stringify(this.path)}).test() needs a function, got ${formatValue(predicate)}`,
        { code: "invalid_condition" },
      );
    }
    return new FieldCondition(this.path, "test", undefined, predicate as never, label);
  }
}

/**
 * Refers to a field of the config being defined, by name or by dotted path into nested configs.
 * @throws SpaxDefinitionError for an empty path or an empty segment (`a..b`).
 * @example
 * sp.conditional(sp.field("useDropout").eq(true), { true: sp.float({ ge: 0.1, le: 0.5 }), false: 0 });
 * sp.field("model.depth").gt(8);
 */
export function field<const P extends string>(path: P): FieldRef<P> {
  return new FieldRef(path);
}

/**
 * A condition over several fields: `predicate` gets `{ [path]: value }`.
 * @example
 * sp.fields(["batchSize", "numGpus"], (v) => v.batchSize * v.numGpus <= 1024, "total batch <= 1024");
 */
export function fields<const P extends string>(
  paths: readonly P[],
  predicate: (values: Record<P, any>) => boolean,
  label?: string,
): FieldsCondition<P> {
  return new FieldsCondition(paths, predicate as never, label);
}

type PathsOf<C extends readonly Condition<any>[]> = C[number]["~paths"];

/**
 * All conditions hold.
 * @example
 * sp.and(sp.field("a").gt(1), sp.field("b").eq("x")); // renders `a > 1 and b == 'x'`
 */
export function and<const C extends readonly Condition<any>[]>(
  ...conditions: C
): AndCondition<PathsOf<C>> {
  return new AndCondition(conditions as unknown as unknown[]);
}

/**
 * At least one condition holds.
 * @example
 * sp.or(sp.field("optimizer").eq("sgd"), sp.field("lr").gt(0.01));
 */
export function or<const C extends readonly Condition<any>[]>(
  ...conditions: C
): OrCondition<PathsOf<C>> {
  return new OrCondition(conditions as unknown as unknown[]);
}

/**
 * The condition does not hold.
 * @example
 * sp.not(sp.field("useDropout").eq(true));
 */
export function not<P extends string>(condition: Condition<P>): NotCondition<P> {
  return new NotCondition(condition);
}

/**
 * Rebuilds a condition from its data form. Custom predicates (`test`) cannot travel as data:
 * they are looked up by label in `functions`, or become a condition that throws when evaluated.
 */
export function conditionFromJSON(
  doc: unknown,
  functions: Readonly<Record<string, (value: any) => boolean>> = {},
): Condition {
  const bad = (why: string) =>
    new SpaxDefinitionError(`invalid condition ${formatValue(doc)}: ${why}`, {
      code: "invalid_space_json",
    });
  if (doc === null || typeof doc !== "object" || Array.isArray(doc))
    throw bad("expected an object");
  const d = doc as Record<string, unknown>;
  if ("and" in d || "or" in d) {
    const list = d.and ?? d.or;
    if (!Array.isArray(list)) throw bad("and/or needs a list");
    const children = list.map((c) => conditionFromJSON(c, functions));
    return "and" in d ? new AndCondition(children) : new OrCondition(children);
  }
  if ("not" in d) return new NotCondition(conditionFromJSON(d.not, functions));
  const lookup = (label: unknown): ((v: any) => boolean) => {
    if (typeof label !== "string") throw bad("a test condition needs a label");
    return (
      functions[label] ??
      (() => {
        throw new SpaxError(
          `condition ${label} was loaded from JSON without its function; pass it as spaceFromJSON(doc, { functions: { ${JSON.stringify(label)}: fn } })`,
          { code: "missing_function" },
        );
      })
    );
  };
  if ("fields" in d) {
    if (!Array.isArray(d.fields)) throw bad("fields needs a list of paths");
    return new FieldsCondition(d.fields as string[], lookup(d.label), d.label as string);
  }
  if (typeof d.field !== "string") throw bad("missing field");
  const ref = new FieldRef(d.field);
  switch (d.op) {
    case "eq":
      return ref.eq(d.value as JsonValue);
    case "ne":
      return ref.ne(d.value as JsonValue);
    case "in":
      return ref.in(d.values as JsonValue[]);
    case "not_in":
      return ref.notIn(d.values as JsonValue[]);
    case "gt":
      return ref.gt(d.value as number);
    case "ge":
      return ref.ge(d.value as number);
    case "lt":
      return ref.lt(d.value as number);
    case "le":
      return ref.le(d.value as number);
    case "is_config":
      if (typeof d.config !== "string") throw bad("is_config needs a config name");
      return new FieldCondition(d.field, "is_config", d.config);
    case "test":
      return ref.test(lookup(d.label), d.label as string);
    default:
      throw bad(`unknown op ${formatValue(d.op)}`);
  }
}
