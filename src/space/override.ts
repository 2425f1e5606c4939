/**
 * Overrides narrow a space without touching its code (SPEC §7):
 * - a scalar fixes a field (it must lie in the base space, type included); a one-element list too;
 * - a list keeps a subset of a categorical's choices (weights kept) or turns a number into a
 *   discrete set of values inside its range;
 * - `{ gt|ge, lt|le, step }` narrows a range (same scale);
 * - an object narrows a nested config; `{ ConfigName: {...} }` config choices; `{ true, false }`
 *   a conditional's branches. Unmentioned fields keep their full space.
 * Anything that would widen the space, name an unknown field, change a fixed field or has the
 * wrong type is a {@link SpaxOverrideError} naming the override path (and file and line).
 * @module
 */
import { formatValue, type PathSegment, SpaxError, SpaxOverrideError } from "../errors.js";
import { CategoricalSpace, Choice } from "./categorical.js";
import { ConditionalSpace } from "./conditional.js";
import type { ConfigField, ConfigSpace } from "./config.js";
import { FixedSpace } from "./fixed.js";
import { FloatSpace, IntSpace, type NumberSpace, type NumberSpec } from "./number.js";
import { type AnySpace, unreachable } from "./space.js";
import { formatJson, formatNumber, isPlainObject, type JsonValue } from "./values.js";

/**
 * An override read from a file: its data plus where it came from, so errors can name the file
 * and the line of the offending entry. Made by `sp.loadOverride(path)`.
 */
export class OverrideSource {
  constructor(
    /** The override object. */
    readonly data: unknown,
    /** The file it was read from. */
    readonly file: string | undefined,
    /** 1-based line of the entry at a path, when known. */
    readonly locate: (path: readonly PathSegment[]) => number | undefined = () => undefined,
  ) {}
}

type AnyConfig = ConfigSpace<string, any, unknown>;

/** Builds errors that name the override path, and the file and line when known. */
class Reporter {
  constructor(private readonly source: OverrideSource | undefined) {}
  error(
    path: readonly PathSegment[],
    detail: string,
    code: string,
    cause?: unknown,
  ): SpaxOverrideError {
    return new SpaxOverrideError(detail, {
      path,
      code,
      cause,
      file: this.source?.file,
      line: this.source?.locate(path),
    });
  }
}

/** The space narrowed by `input` (an override object or an {@link OverrideSource}). */
export function narrowConfig(config: AnyConfig, input: unknown): AnyConfig {
  const source = input instanceof OverrideSource ? input : undefined;
  const data = source ? source.data : input;
  return narrowConfigWith(config, data, [], new Reporter(source));
}

function narrowConfigWith(
  config: AnyConfig,
  o: unknown,
  path: PathSegment[],
  r: Reporter,
): AnyConfig {
  if (!isPlainObject(o)) {
    throw r.error(
      path,
      `expected an object of field overrides for config ${config.name}, got ${formatValue(o)}`,
      "invalid_override",
    );
  }
  const keys = Object.keys(o).filter((k) => o[k] !== undefined);
  if (keys.length === 0) return config;
  const fields: ConfigField[] = [...config.fields];
  for (const key of keys) {
    const i = config.fieldIndex(key);
    if (i < 0) {
      throw r.error(
        [...path, key],
        `unknown field (config ${config.name} has ${config.fields.map((f) => f.name).join(", ")})`,
        "unknown_field",
      );
    }
    fields[i] = { name: key, space: narrowSpace(fields[i]!.space, o[key], [...path, key], r) };
  }
  return config.rebuild(fields);
}

function narrowSpace(space: AnySpace, o: unknown, path: PathSegment[], r: Reporter): AnySpace {
  switch (space.kind) {
    case "fixed":
      throw r.error(
        path,
        `the field is fixed to ${formatJson(space.value)}; an override cannot change a fixed field`,
        "fixed_field",
      );
    case "float":
    case "int":
      return narrowNumber(space, o, path, r);
    case "categorical":
      return narrowCategorical(space, o, path, r);
    case "conditional":
      return narrowConditional(space, o, path, r);
    case "config":
      return narrowConfigWith(space, o, path, r);
    default:
      return unreachable(space);
  }
}

function narrowConditional(
  space: ConditionalSpace,
  o: unknown,
  path: PathSegment[],
  r: Reporter,
): AnySpace {
  if (!isPlainObject(o)) {
    throw r.error(
      path,
      `a conditional field takes { true: …, false: … } (overrides of its branches), got ${formatValue(o)}; to fix it, fix the field its condition reads (${space.condition.render()})`,
      "invalid_override",
    );
  }
  const extra = Object.keys(o).filter((k) => k !== "true" && k !== "false");
  if (extra.length > 0) {
    throw r.error(
      [...path, extra[0]!],
      "a conditional's override has only the keys true and false",
      "unknown_field",
    );
  }
  const branch = (key: "true" | "false", b: AnySpace) =>
    o[key] === undefined ? b : narrowSpace(b, o[key], [...path, key], r);
  return new ConditionalSpace(
    space.condition,
    { true: branch("true", space.ifTrue), false: branch("false", space.ifFalse) },
    { description: space.description },
  );
}

// ---- numbers ------------------------------------------------------------------------------

/** `[1e-5, 0.1]`, or `[0, 1] (step 0.25)`; the scale is left out since overrides keep it (SPEC §7's wording). */
function describeNumber(space: NumberSpace): string {
  return space.step === undefined
    ? space.rangeText()
    : `${space.rangeText()} (step ${formatNumber(space.step)})`;
}

function checkNumberValue(
  space: NumberSpace,
  v: unknown,
  path: PathSegment[],
  r: Reporter,
): number {
  if (typeof v !== "number") {
    throw r.error(
      path,
      `expected ${space.kind === "int" ? "an integer" : "a number"}, a list of them or a range { ge, le }, got ${formatValue(v)}`,
      "invalid_type",
    );
  }
  const problem = space.check(v);
  if (problem) {
    throw r.error(
      path,
      `${formatNumber(v)} ${problem === `is not inside ${space.rangeText()}` ? `is not inside ${describeNumber(space)}` : problem}`,
      "not_narrowing",
    );
  }
  return space.snap(v === 0 ? 0 : v);
}

const RANGE_KEYS = new Set(["gt", "ge", "lt", "le", "step", "log"]);

function narrowNumber(space: NumberSpace, o: unknown, path: PathSegment[], r: Reporter): AnySpace {
  if (Array.isArray(o)) {
    if (o.length === 0) throw r.error(path, "an override list cannot be empty", "empty_override");
    const values = o.map((v, i) => checkNumberValue(space, v, [...path, i], r));
    const dup = values.findIndex((v, i) => values.indexOf(v) !== i);
    if (dup >= 0)
      throw r.error(
        [...path, dup],
        `lists ${formatNumber(values[dup]!)} twice`,
        "duplicate_choice",
      );
    if (values.length === 1) return new FixedSpace(values[0]);
    const keepDefault = space.default !== undefined && values.includes(space.default);
    return new CategoricalSpace(values, {
      description: space.description,
      ...(keepDefault ? { default: space.default } : {}),
    });
  }
  if (!isPlainObject(o)) return new FixedSpace(checkNumberValue(space, o, path, r));
  for (const key of Object.keys(o)) {
    if (!RANGE_KEYS.has(key)) {
      throw r.error(
        [...path, key],
        "a range override has only the keys gt, ge, lt, le, step and log",
        "unknown_field",
      );
    }
  }
  if (o.gt !== undefined && o.ge !== undefined)
    throw r.error(path, "give one lower bound (gt or ge), not both", "two_lower_bounds");
  if (o.lt !== undefined && o.le !== undefined)
    throw r.error(path, "give one upper bound (lt or le), not both", "two_upper_bounds");
  if (o.log !== undefined && o.log !== space.log) {
    throw r.error(
      [...path, "log"],
      `cannot change the scale (the field is ${space.log ? "log" : "uniform"}); an override keeps it`,
      "scale_change",
    );
  }
  for (const key of ["gt", "ge", "lt", "le", "step"]) {
    if (o[key] !== undefined && (typeof o[key] !== "number" || !Number.isFinite(o[key]))) {
      throw r.error(
        [...path, key],
        `must be a finite number, got ${formatValue(o[key])}`,
        "invalid_type",
      );
    }
  }
  const lower =
    o.ge !== undefined
      ? { low: o.ge, lowInclusive: true }
      : o.gt !== undefined
        ? { low: o.gt, lowInclusive: false }
        : { low: space.low, lowInclusive: space.lowInclusive };
  const upper =
    o.le !== undefined
      ? { high: o.le, highInclusive: true }
      : o.lt !== undefined
        ? { high: o.lt, highInclusive: false }
        : { high: space.high, highInclusive: space.highInclusive };
  const spec: NumberSpec = {
    ...(lower as { low: number; lowInclusive: boolean }),
    ...(upper as { high: number; highInclusive: boolean }),
    log: space.log,
    step: (o.step as number | undefined) ?? space.step,
    default: undefined,
    description: space.description,
  };
  let narrowed: NumberSpace;
  try {
    narrowed = space.kind === "int" ? new IntSpace(spec) : new FloatSpace(spec);
  } catch (cause) {
    if (!(cause instanceof SpaxError)) throw cause;
    throw r.error(
      path,
      `${formatValue(o)}: ${cause.message.replace(/^(int|float): /, "")}`,
      cause.code,
      cause,
    );
  }
  if (!numberInside(narrowed, space)) {
    throw r.error(
      path,
      `${describeNumber(narrowed)} is not inside ${describeNumber(space)}`,
      "not_narrowing",
    );
  }
  if (space.default !== undefined && narrowed.check(space.default) === undefined) {
    // Keep the default where it still lies in the space (SpaX drops it always, defect 2).
    narrowed =
      space.kind === "int"
        ? new IntSpace({ ...spec, default: space.default })
        : new FloatSpace({ ...spec, default: space.default });
  }
  return narrowed;
}

/** Whether every value of `inner` lies in `outer` (integer-aware; grids must align). */
function numberInside(inner: NumberSpace, outer: NumberSpace): boolean {
  if (inner.kind === "int" || inner.step !== undefined) {
    // Discrete: every value of inner must be a value of outer.
    if (outer.check(inner.min) !== undefined || outer.check(inner.max) !== undefined) return false;
    if (outer.step === undefined) return true;
    if (inner.step === undefined) return inner.min === inner.max;
    const ratio = inner.step / outer.step;
    return Math.abs(ratio - Math.round(ratio)) <= 1e-9 * Math.max(1, ratio);
  }
  if (outer.step !== undefined) return false;
  const lowOk =
    inner.low > outer.low ||
    (inner.low === outer.low && (outer.lowInclusive || !inner.lowInclusive));
  const highOk =
    inner.high < outer.high ||
    (inner.high === outer.high && (outer.highInclusive || !inner.highInclusive));
  return lowOk && highOk;
}

// ---- categoricals ---------------------------------------------------------------------------

interface Picked {
  index: number;
  nested: unknown;
  at: PathSegment[];
}

function choicesText(space: CategoricalSpace): string {
  return space.entries.map((e) => (e.config ? e.config.name : formatJson(e.value))).join(", ");
}

/** Resolves one list item or scalar to a choice: a value, a config name, or `{ Name: nested }`. */
function pick(space: CategoricalSpace, item: unknown, at: PathSegment[], r: Reporter): Picked {
  const i = space.indexOf(item);
  if (i >= 0) return { index: i, nested: undefined, at };
  if (typeof item === "string" && space.configIndexOf(item) >= 0) {
    return { index: space.configIndexOf(item), nested: undefined, at };
  }
  if (isPlainObject(item)) {
    const keys = Object.keys(item);
    if (keys.length === 1 && space.configIndexOf(keys[0]!) >= 0) {
      return {
        index: space.configIndexOf(keys[0]!),
        nested: item[keys[0]!],
        at: [...at, keys[0]!],
      };
    }
  }
  const name =
    isPlainObject(item) &&
    typeof item.__type__ === "string" &&
    space.configIndexOf(item.__type__) >= 0
      ? item.__type__
      : undefined;
  throw r.error(
    at,
    name === undefined
      ? `${formatValue(item)} is not one of the choices ${choicesText(space)}`
      : `a config value is not an override; to keep ${name} and narrow its fields, write { ${name}: { field: … } }`,
    "not_in_choices",
  );
}

/** A choice kept by an override, with its nested override applied. */
function keep(space: CategoricalSpace, p: Picked, r: Reporter): Choice<unknown> {
  const entry = space.entries[p.index]!;
  let value: unknown = entry.value;
  const hasNested =
    p.nested !== undefined &&
    p.nested !== null &&
    !(isPlainObject(p.nested) && Object.keys(p.nested).length === 0);
  if (hasNested) {
    if (!entry.config) {
      throw r.error(
        p.at,
        `${formatJson(entry.value)} is a value, not a config; it takes no nested override`,
        "invalid_override",
      );
    }
    value = narrowConfigWith(entry.config, p.nested, p.at, r);
  }
  return new Choice(value, entry.weight);
}

function narrowCategorical(
  space: CategoricalSpace,
  o: unknown,
  path: PathSegment[],
  r: Reporter,
): AnySpace {
  let picked: Picked[];
  if (Array.isArray(o)) {
    if (o.length === 0) throw r.error(path, "an override list cannot be empty", "empty_override");
    picked = o.map((item, i) => pick(space, item, [...path, i], r));
  } else if (isPlainObject(o) && space.indexOf(o) < 0) {
    // `{ Adam: {...}, Sgd: null }`: keep these config choices (SpaX's dict form).
    if (typeof o.__type__ === "string" && space.configIndexOf(o.__type__) >= 0) {
      throw r.error(
        path,
        `a config value is not an override; to keep ${o.__type__} and narrow its fields, write { ${o.__type__}: { field: … } }`,
        "not_in_choices",
      );
    }
    picked = Object.keys(o).map((key) => {
      const at = [...path, key];
      const byConfig = space.configIndexOf(key);
      const index = byConfig >= 0 ? byConfig : space.indexOf(key);
      if (index < 0)
        throw r.error(
          at,
          `${JSON.stringify(key)} is not one of the choices ${choicesText(space)}`,
          "not_in_choices",
        );
      return { index, nested: o[key], at };
    });
    if (picked.length === 0)
      throw r.error(path, "an override object cannot be empty", "empty_override");
  } else {
    if (space.single && !space.hasConfigs) {
      throw r.error(
        path,
        `the field is fixed to ${formatJson(space.entries[0]!.value)} (a one-choice categorical); an override cannot change it`,
        "fixed_field",
      );
    }
    picked = [pick(space, o, path, r)];
  }
  const seen = new Set<number>();
  for (const p of picked) {
    if (seen.has(p.index))
      throw r.error(
        p.at,
        `lists ${choicesText(new CategoricalSpace([space.entries[p.index]!.value]))} twice`,
        "duplicate_choice",
      );
    seen.add(p.index);
  }
  const kept = picked.map((p) => keep(space, p, r));
  if (kept.length === 1 && !space.entries[picked[0]!.index]!.config) {
    return new FixedSpace(kept[0]!.value);
  }
  const keepDefault =
    space.hasDefault && picked.some((p) => space.isChoice(p.index, space.default));
  return new CategoricalSpace(kept, {
    description: space.description,
    ...(keepDefault ? { default: space.default } : {}),
  });
}

// ---- template -----------------------------------------------------------------------------

/**
 * The override that reproduces `config`: every searched field with its full range or choice
 * list. Fixed fields are left out (they cannot be overridden).
 */
export function overrideTemplate(config: AnyConfig): Record<string, unknown> {
  return configTemplate(config) ?? {};
}

function configTemplate(config: AnyConfig): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const f of config.fields) {
    const t = spaceTemplate(f.space);
    if (t !== undefined) out[f.name] = t;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function spaceTemplate(space: AnySpace): unknown {
  switch (space.kind) {
    case "float":
    case "int": {
      const t: Record<string, number> = {};
      t[space.lowInclusive ? "ge" : "gt"] = space.low;
      t[space.highInclusive ? "le" : "lt"] = space.high;
      if (space.step !== undefined) t.step = space.step;
      return t;
    }
    case "categorical": {
      if (space.single && !space.hasConfigs) return undefined;
      if (!space.hasConfigs) return space.entries.map((e) => e.value as JsonValue);
      if (space.entries.every((e) => e.config)) {
        const t: Record<string, unknown> = {};
        for (const e of space.entries) t[e.config!.name] = configTemplate(e.config!) ?? {};
        return t;
      }
      return space.entries.map((e) => {
        if (!e.config) return e.value;
        const nested = configTemplate(e.config);
        return nested ? { [e.config.name]: nested } : e.config.name;
      });
    }
    case "conditional": {
      const t: Record<string, unknown> = {};
      const tt = spaceTemplate(space.ifTrue);
      const ft = spaceTemplate(space.ifFalse);
      if (tt !== undefined) t.true = tt;
      if (ft !== undefined) t.false = ft;
      return Object.keys(t).length > 0 ? t : undefined;
    }
    case "config":
      return configTemplate(space);
    case "fixed":
      return undefined;
    default:
      return unreachable(space);
  }
}
