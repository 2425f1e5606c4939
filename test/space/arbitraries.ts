/**
 * fast-check arbitraries of search-space *descriptions* (plain data), a builder that turns a
 * description into a real `sp.config(...)` through the public API, and an independent model of
 * the described space (possible values, condition evaluation, grid enumeration) that the
 * property tests compare spax against.
 *
 * Descriptions are small on purpose (≤ 8 fields per config, nesting depth ≤ 3) so that hundreds
 * of runs take a few seconds. Conditions only read fields declared *earlier* in the description
 * (siblings or fields of earlier nested configs, by dotted path), so every generated space is
 * acyclic; spax must still find the right order, because field names are drawn in random order
 * and SpaX's order is lexicographic.
 * @module
 */
import fc from "fast-check";
import * as sp from "../../src/index.js";

// ---- descriptions -----------------------------------------------------------------------------

/** JSON-like plain data (what a categorical choice or fixed field may hold). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A float or int space. */
export interface NumDesc {
  kind: "float" | "int";
  lower: "gt" | "ge";
  low: number;
  upper: "lt" | "le";
  high: number;
  log: boolean;
  step?: number;
  /** With `step`: grid point k is exactly `(a + k·b)·10^-d`; n = number of steps low → high. */
  grid?: { a: number; b: number; d: number; n: number };
  default?: number;
  description?: string;
}

/** One choice of a categorical: a plain value or a config. */
export type ChoiceDesc = { value: Json; weight?: number } | { config: ConfigDesc; weight?: number };

export interface CatDesc {
  kind: "categorical";
  choices: ChoiceDesc[];
  /** The default, boxed so that `null` can be a default. */
  default?: { value: Json };
  description?: string;
}

export interface BoolDesc {
  kind: "boolean";
}

export interface FixedDesc {
  kind: "fixed";
  value: Json;
}

export interface CondDesc {
  kind: "conditional";
  when: CondExpr;
  ifTrue: SpaceDesc;
  ifFalse: SpaceDesc;
}

/** A condition over earlier fields (dotted paths into earlier nested configs allowed). */
export type CondExpr =
  | { op: "eq" | "ne"; path: string; value: Json }
  | { op: "in" | "notIn"; path: string; values: Json[] }
  | { op: "gt" | "ge" | "lt" | "le"; path: string; value: number }
  | { op: "isConfig"; path: string; name: string }
  | { op: "and" | "or"; items: CondExpr[] }
  | { op: "not"; item: CondExpr };

/** A `refine` constraint that forbids one value of one (always active) categorical field. */
export interface RefineDesc {
  field: string;
  forbid: Json;
  message: string;
}

export interface ConfigDesc {
  kind: "config";
  name: string;
  fields: FieldDesc[];
  refine?: RefineDesc;
  description?: string;
}

export interface FieldDesc {
  name: string;
  space: SpaceDesc;
}

export type SpaceDesc = NumDesc | CatDesc | BoolDesc | FixedDesc | CondDesc | ConfigDesc;

// ---- JSON helpers (independent of src) ---------------------------------------------------------

/** Canonical text of a JSON value: sorted keys, so equal values (by value and type) match. */
export function canon(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canon).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canon(o[k])}`)
      .join(",")}}`;
  }
  if (value === undefined) return "undefined";
  // JSON.stringify writes NaN and ±Infinity as null; keep them apart from null (and valid).
  if (typeof value === "number" && !Number.isFinite(value)) return `#${value}`;
  return JSON.stringify(value);
}

export function jsonEq(a: unknown, b: unknown): boolean {
  return canon(a) === canon(b);
}

/** True when some array inside `value` holds `null` (TOML cannot write that). */
export function hasNullInArray(value: unknown): boolean {
  if (Array.isArray(value)) return value.some((v) => v === null || hasNullInArray(v));
  if (value !== null && typeof value === "object") {
    return Object.values(value as Record<string, unknown>).some(hasNullInArray);
  }
  return false;
}

// ---- the model: values of number spaces ---------------------------------------------------------

/** Grid point k of a stepped number, computed exactly from integers. */
export function gridPoint(g: NonNullable<NumDesc["grid"]>, k: number): number {
  const n = g.a + k * g.b;
  return g.d >= 0 ? n / 10 ** g.d : n * 10 ** -g.d;
}

/** First and last attainable grid indexes of a stepped number. */
export function gridRange(d: NumDesc): [number, number] {
  const g = d.grid!;
  return [d.lower === "gt" ? 1 : 0, d.upper === "lt" ? g.n - 1 : g.n];
}

/** Whether `v` lies in the described number space (the model's own check). */
export function numberContains(d: NumDesc, v: unknown): boolean {
  if (typeof v !== "number" || !Number.isFinite(v)) return false;
  if (d.kind === "int" && !Number.isSafeInteger(v)) return false;
  if (d.lower === "gt" ? v <= d.low : v < d.low) return false;
  if (d.upper === "lt" ? v >= d.high : v > d.high) return false;
  if (d.grid) {
    const [first, last] = gridRange(d);
    for (let k = first; k <= last; k++) if (gridPoint(d.grid, k) === v) return true;
    return false;
  }
  return true;
}

/** Every value of a finite number space (ints and grids), or undefined for continuous floats. */
export function numberValues(d: NumDesc): number[] | undefined {
  if (d.grid) {
    const [first, last] = gridRange(d);
    const out: number[] = [];
    for (let k = first; k <= last; k++) out.push(gridPoint(d.grid, k));
    return out;
  }
  if (d.kind === "int") {
    const min = d.lower === "gt" ? d.low + 1 : d.low;
    const max = d.upper === "lt" ? d.high - 1 : d.high;
    if (max - min > 10_000) return undefined;
    const out: number[] = [];
    for (let v = min; v <= max; v++) out.push(v);
    return out;
  }
  return undefined;
}

/** A handful of distinct valid values of a number space, sorted ascending. */
export function numberCandidates(d: NumDesc): number[] {
  const out = new Set<number>();
  if (d.grid) {
    const [first, last] = gridRange(d);
    const ks =
      last - first <= 12
        ? Array.from({ length: last - first + 1 }, (_, i) => first + i)
        : [first, first + 1, Math.floor((first + last) / 2), last - 1, last];
    for (const k of ks) out.add(gridPoint(d.grid, k));
  } else if (d.kind === "int") {
    const min = d.lower === "gt" ? d.low + 1 : d.low;
    const max = d.upper === "lt" ? d.high - 1 : d.high;
    for (const v of [min, min + 1, Math.floor(min / 2 + max / 2), max - 1, max]) out.add(v);
  } else {
    if (d.lower === "ge") out.add(d.low);
    if (d.upper === "le") out.add(d.high);
    for (const t of [0.001, 0.25, 0.5, 0.75, 0.999]) {
      let x = d.low + (d.high - d.low) * t;
      if (!Number.isFinite(x)) x = d.low * (1 - t) + d.high * t;
      out.add(x);
      if (d.log) out.add(Math.exp(Math.log(d.low) + (Math.log(d.high) - Math.log(d.low)) * t));
    }
  }
  return [...out]
    .map((v) => (v === 0 ? 0 : v))
    .filter((v) => numberContains(d, v))
    .sort((a, b) => a - b);
}

// ---- the model: conditions and enumeration -------------------------------------------------------

function readPath(values: Record<string, unknown>, path: string): unknown {
  let v: unknown = values;
  for (const seg of path.split(".")) {
    if (v === null || typeof v !== "object" || !Object.hasOwn(v, seg)) return undefined;
    v = (v as Record<string, unknown>)[seg];
  }
  return v;
}

/** The model's evaluation of a condition (equality by value and type). */
export function evalCond(c: CondExpr, values: Record<string, unknown>): boolean {
  switch (c.op) {
    case "and":
      return c.items.every((i) => evalCond(i, values));
    case "or":
      return c.items.some((i) => evalCond(i, values));
    case "not":
      return !evalCond(c.item, values);
    case "eq":
      return jsonEq(readPath(values, c.path), c.value);
    case "ne":
      return !jsonEq(readPath(values, c.path), c.value);
    case "in":
      return c.values.some((x) => jsonEq(readPath(values, c.path), x));
    case "notIn":
      return !c.values.some((x) => jsonEq(readPath(values, c.path), x));
    case "isConfig": {
      const v = readPath(values, c.path);
      return (
        v !== null && typeof v === "object" && (v as { __type__?: unknown }).__type__ === c.name
      );
    }
    default: {
      const v = readPath(values, c.path);
      if (typeof v !== "number") return false;
      if (c.op === "gt") return v > c.value;
      if (c.op === "ge") return v >= c.value;
      if (c.op === "lt") return v < c.value;
      return v <= c.value;
    }
  }
}

/** Whether the config value breaks the description's `refine`. */
export function breaksRefine(d: ConfigDesc, value: Record<string, unknown>): boolean {
  return d.refine !== undefined && jsonEq(value[d.refine.field], d.refine.forbid);
}

/**
 * Every config of a finite described space, computed by the model (fields in declaration order
 * of the description; conditions only read earlier fields). Throws on continuous floats.
 */
export function enumerateConfig(d: ConfigDesc, tagged: boolean): Record<string, unknown>[] {
  let partial: Record<string, unknown>[] = [{}];
  for (const f of d.fields) {
    const next: Record<string, unknown>[] = [];
    for (const p of partial) {
      for (const v of enumerateSpace(f.space, p)) next.push({ ...p, [f.name]: v });
    }
    partial = next;
  }
  const out = partial.filter((v) => !breaksRefine(d, v));
  return tagged ? out.map((v) => ({ ...v, __type__: d.name })) : out;
}

function enumerateSpace(s: SpaceDesc, values: Record<string, unknown>): readonly unknown[] {
  switch (s.kind) {
    case "float":
    case "int": {
      const vs = numberValues(s);
      if (!vs) throw new Error("model: continuous number in a finite space");
      return vs;
    }
    case "categorical":
      return s.choices.flatMap((c): unknown[] =>
        "config" in c ? enumerateConfig(c.config, true) : [c.value],
      );
    case "boolean":
      return [true, false];
    case "fixed":
      return [s.value];
    case "config":
      return enumerateConfig(s, false);
    case "conditional": {
      const b = evalCond(s.when, values) ? s.ifTrue : s.ifFalse;
      return b.kind === "config" ? enumerateConfig(b, true) : enumerateSpace(b, values);
    }
  }
}

// ---- the model: validation -----------------------------------------------------------------------

const BAD: unique symbol = Symbol("invalid");
type Checked = unknown | typeof BAD;

function isPlain(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * The model's validation of a concrete config (SPEC §3): bounds, integer-ness, choices by value
 * and type, the active branch of every conditional (an inactive branch is not stored: the field
 * holds the active branch's value), nested and chosen configs (`__type__` picks a config choice,
 * else the single config that validates), unknown fields, missing fields from defaults (fixed
 * values, one-choice categoricals and nested configs fill themselves in), and refines.
 * Returns the validated value (defaults filled, `__type__` on chosen configs) or `BAD`.
 */
export function modelParse(
  d: ConfigDesc,
  data: unknown,
): { ok: true; value: unknown } | { ok: false } {
  const r = modelConfig(d, data, false);
  return r === BAD ? { ok: false } : { ok: true, value: r };
}

function modelConfig(d: ConfigDesc, data: unknown, tagged: boolean): Checked {
  if (!isPlain(data)) return BAD;
  for (const key of Object.keys(data)) {
    if (key === "__type__") {
      if (data[key] !== d.name) return BAD;
    } else if (!d.fields.some((f) => f.name === key)) return BAD;
  }
  const out: Record<string, unknown> = {};
  for (const f of d.fields) {
    const v = Object.hasOwn(data, f.name) ? data[f.name] : undefined;
    const r = modelSpace(f.space, v, out);
    if (r === BAD) return BAD;
    out[f.name] = r;
  }
  if (breaksRefine(d, out)) return BAD;
  if (tagged) out.__type__ = d.name;
  return out;
}

function modelSpace(s: SpaceDesc, v: unknown, values: Record<string, unknown>): Checked {
  switch (s.kind) {
    case "float":
    case "int":
      if (v === undefined) return s.default ?? BAD;
      return numberContains(s, v) ? (v === 0 ? 0 : v) : BAD; // -0 is stored as 0
    case "boolean":
      return v === true || v === false ? v : BAD;
    case "fixed":
      return v === undefined || jsonEq(v, s.value) ? s.value : BAD;
    case "config":
      return modelConfig(s, v === undefined ? {} : v, false);
    case "conditional": {
      const b = evalCond(s.when, values) ? s.ifTrue : s.ifFalse;
      return b.kind === "config"
        ? modelConfig(b, v === undefined ? {} : v, true)
        : modelSpace(b, v, values);
    }
    case "categorical": {
      if (v === undefined) {
        if (s.default) return s.default.value;
        if (s.choices.length !== 1) return BAD;
        const only = s.choices[0]!;
        return "config" in only ? modelConfig(only.config, {}, true) : only.value;
      }
      for (const c of s.choices) if ("value" in c && jsonEq(c.value, v)) return c.value;
      const configs = s.choices.flatMap((c) => ("config" in c ? [c.config] : []));
      if (configs.length === 0 || !isPlain(v)) return BAD;
      if (v.__type__ !== undefined) {
        const c = configs.find((x) => x.name === v.__type__);
        return c ? modelConfig(c, v, true) : BAD;
      }
      const matches = configs.map((c) => modelConfig(c, v, true)).filter((r) => r !== BAD);
      return matches.length === 1 ? matches[0] : BAD;
    }
  }
}

/**
 * Values that are *almost* right somewhere in the described space: every choice, fixed value and
 * number candidate, numbers just outside each range, off-grid and non-integer numbers, config
 * tags. Spliced into valid configs, they reach the deep validation paths that random junk rarely
 * does.
 */
export function nearMisses(d: ConfigDesc): unknown[] {
  const out: unknown[] = [
    ...TRICKY,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    2 ** 53,
    "baseline",
  ];
  const visit = (s: SpaceDesc): void => {
    switch (s.kind) {
      case "float":
      case "int": {
        out.push(...numberCandidates(s), s.low, s.high, s.low - 1, s.high + 1);
        if (s.step !== undefined) out.push(s.low + s.step / 2);
        return;
      }
      case "categorical":
        for (const c of s.choices) {
          if ("config" in c) {
            out.push({ __type__: c.config.name }, c.config.name);
            visitConfig(c.config);
          } else out.push(c.value);
        }
        return;
      case "fixed":
        out.push(s.value);
        return;
      case "config":
        out.push({}, { __type__: s.name });
        visitConfig(s);
        return;
      case "conditional":
        visit(s.ifTrue);
        visit(s.ifFalse);
        return;
      case "boolean":
        return;
    }
  };
  const visitConfig = (c: ConfigDesc): void => {
    for (const f of c.fields) visit(f.space);
  };
  visitConfig(d);
  return out;
}

/** An upper bound of the grid size of a described space (Infinity when continuous). */
export function gridUpperBound(s: SpaceDesc): number {
  switch (s.kind) {
    case "float":
    case "int":
      return numberValues(s)?.length ?? Number.POSITIVE_INFINITY;
    case "categorical":
      return s.choices.reduce((n, c) => n + ("config" in c ? gridUpperBound(c.config) : 1), 0);
    case "boolean":
      return 2;
    case "fixed":
      return 1;
    case "config":
      return s.fields.reduce((n, f) => n * gridUpperBound(f.space), 1);
    case "conditional":
      return Math.max(gridUpperBound(s.ifTrue), gridUpperBound(s.ifFalse));
  }
}

// ---- builder: description → sp.config -----------------------------------------------------------

export type AnyConfig = sp.ConfigSpace<string, any, any>;

/** The predicate of a description's refine (also the function to give `spaceFromJSON`). */
export function refinePredicate(r: RefineDesc): (c: Record<string, unknown>) => boolean {
  return (c) => !jsonEq(c[r.field], r.forbid);
}

/** Every refine of a description, by message, for `spaceFromJSON(doc, { functions })`. */
export function refineFunctions(
  d: ConfigDesc,
  out: Record<string, (c: any) => boolean> = {},
): Record<string, (c: any) => boolean> {
  if (d.refine) out[d.refine.message] = refinePredicate(d.refine);
  for (const f of d.fields) visitConfigs(f.space, (c) => refineFunctions(c, out));
  return out;
}

function visitConfigs(s: SpaceDesc, f: (c: ConfigDesc) => void): void {
  if (s.kind === "config") f(s);
  else if (s.kind === "categorical") {
    for (const c of s.choices) if ("config" in c) f(c.config);
  } else if (s.kind === "conditional") {
    visitConfigs(s.ifTrue, f);
    visitConfigs(s.ifFalse, f);
  }
}

/** True when some config in the description has a refine (a custom predicate). */
export function hasRefine(d: ConfigDesc): boolean {
  return Object.keys(refineFunctions(d)).length > 0;
}

export function buildConfig(d: ConfigDesc): AnyConfig {
  const fields: Record<string, unknown> = {};
  for (const f of d.fields) fields[f.name] = buildSpace(f.space);
  let c: AnyConfig = sp.config(
    d.name,
    fields as any,
    d.description !== undefined ? { description: d.description } : undefined,
  );
  if (d.refine) c = c.refine(refinePredicate(d.refine), d.refine.message);
  return c;
}

function buildNumber(d: NumDesc): sp.NumberSpace {
  const o: Record<string, unknown> = { [d.lower]: d.low, [d.upper]: d.high };
  if (d.log) o.log = true;
  if (d.step !== undefined) o.step = d.step;
  if (d.default !== undefined) o.default = d.default;
  if (d.description !== undefined) o.description = d.description;
  return d.kind === "int" ? sp.int(o as sp.NumberOptions) : sp.float(o as sp.NumberOptions);
}

export function buildSpace(s: SpaceDesc): unknown {
  switch (s.kind) {
    case "float":
    case "int":
      return buildNumber(s);
    case "categorical": {
      const choices = s.choices.map((c) => {
        const v = "config" in c ? buildConfig(c.config) : (c.value as sp.JsonValue);
        return c.weight !== undefined ? sp.choice(v, { weight: c.weight }) : v;
      });
      const options: sp.CategoricalOptions<any> = {};
      if (s.default) options.default = s.default.value;
      if (s.description !== undefined) options.description = s.description;
      return sp.categorical(choices as any, options);
    }
    case "boolean":
      return sp.boolean();
    case "fixed":
      return s.value;
    case "config":
      return buildConfig(s);
    case "conditional":
      return sp.conditional(buildCondition(s.when), {
        true: buildSpace(s.ifTrue) as any,
        false: buildSpace(s.ifFalse) as any,
      });
  }
}

export function buildCondition(c: CondExpr): sp.Condition {
  switch (c.op) {
    case "and":
      return sp.and(...c.items.map(buildCondition));
    case "or":
      return sp.or(...c.items.map(buildCondition));
    case "not":
      return sp.not(buildCondition(c.item));
    case "eq":
      return sp.field(c.path).eq(c.value as sp.JsonValue);
    case "ne":
      return sp.field(c.path).ne(c.value as sp.JsonValue);
    case "in":
      return sp.field(c.path).in(c.values as sp.JsonValue[]);
    case "notIn":
      return sp.field(c.path).notIn(c.values as sp.JsonValue[]);
    case "isConfig":
      // isConfig reads only the name; a stub avoids building the config twice.
      return sp.field(c.path).isConfig({ kind: "config", name: c.name });
    default:
      return sp.field(c.path)[c.op](c.value);
  }
}

// ---- generation ----------------------------------------------------------------------------------

/** Values that must stay six-plus different choices: `1`, `"1"`, `true`, `null`, `0`, `""`, … */
export const TRICKY: readonly Json[] = [
  1,
  "1",
  true,
  false,
  null,
  0,
  "",
  [],
  [1, "1"],
  { a: 1 },
  {},
  "a",
  "b",
  2.5,
  -1,
  [null],
  { k: null },
  [[]],
  "null",
  "true",
  { a: [true, "x"] },
  1e-300,
  1.5e300,
  "é",
  "a b",
  [{ b: 2 }],
];

const FIELD_NAMES = [
  "a",
  "b",
  "c",
  "d",
  "lr",
  "x1",
  "B",
  "Z",
  "é",
  "日本",
  "a b",
  "0",
  "10",
  "_k",
  "ñ",
  "𝒳",
  "size",
  "mode",
  // Also a key every plain object inherits: a missing field must not read Object.prototype.
  "toString",
] as const;
const CONFIG_NAMES = ["A", "B", "Cfg", "Adam", "Sgd", "Ünï", "My Cfg", "X"] as const;

const choiceValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...TRICKY) },
  { weight: 1, arbitrary: fc.integer({ min: -5, max: 5 }) },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z]{0,3}$/) },
  {
    weight: 1,
    arbitrary: fc
      .double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true })
      .filter((x) => !Object.is(x, -0)),
  },
);

const weightArb = fc.option(fc.constantFrom(0.5, 1, 2, 3, 10, 1e-3), { nil: undefined });
const descriptionArb = fc.option(fc.constantFrom("a field", "ß ü", "line\nbreak"), {
  nil: undefined,
  freq: 6,
});

/** Generation settings: `finite` keeps every space enumerable and small (for `grid()`). */
export interface GenOptions {
  finite: boolean;
  maxFields: number;
}

function pickDefault(d: NumDesc, pick: number | null): NumDesc {
  if (pick === null) return d;
  const cands = numberCandidates(d);
  return cands.length === 0 ? d : { ...d, default: cands[pick % cands.length] };
}

function floatArb(o: GenOptions): fc.Arbitrary<NumDesc> {
  const bounds = {
    lower: fc.constantFrom("gt" as const, "ge" as const),
    upper: fc.constantFrom("lt" as const, "le" as const),
  };
  const stepped = fc
    .record({
      ...bounds,
      a: fc.integer({ min: -1000, max: 1000 }),
      b: fc.integer({ min: 1, max: 50 }),
      d: fc.constantFrom(-6, 0, 1, 2, 2, 3, 5, 8),
      n: fc.integer({ min: 1, max: o.finite ? 5 : 12 }),
      def: fc.option(fc.nat(), { freq: 3 }),
      description: descriptionArb,
    })
    .map((r): NumDesc => {
      let n = r.n;
      if (r.lower === "gt" && r.upper === "lt" && n < 2) n = 2;
      const grid = { a: r.a, b: r.b, d: r.d, n };
      return pickDefault(
        {
          kind: "float",
          lower: r.lower,
          low: gridPoint(grid, 0),
          upper: r.upper,
          high: gridPoint(grid, n),
          log: false,
          step: gridPoint({ a: 0, b: r.b, d: r.d, n }, 1),
          grid,
          ...(r.description !== undefined ? { description: r.description } : {}),
        },
        r.def,
      );
    });
  if (o.finite) return stepped;
  const continuous = fc
    .record({
      ...bounds,
      e: fc.constantFrom(-300, -30, -8, -3, 0, 0, 0, 3, 8, 30, 300),
      a: fc.integer({ min: -1000, max: 1000 }),
      w: fc.integer({ min: 1, max: 1000 }),
      log: fc.boolean(),
      def: fc.option(fc.nat(), { freq: 3 }),
      description: descriptionArb,
    })
    .map((r): NumDesc => {
      const a = r.log && r.a < 1 ? 1 + (Math.abs(r.a) % 1000) : r.a;
      return pickDefault(
        {
          kind: "float",
          lower: r.lower,
          low: a * 10 ** r.e,
          upper: r.upper,
          high: (a + r.w) * 10 ** r.e,
          log: r.log,
          ...(r.description !== undefined ? { description: r.description } : {}),
        },
        r.def,
      );
    });
  const special = fc.constantFrom<NumDesc>(
    // The whole double range: high − low overflows to Infinity.
    {
      kind: "float",
      lower: "ge",
      low: -Number.MAX_VALUE,
      upper: "le",
      high: Number.MAX_VALUE,
      log: false,
    },
    { kind: "float", lower: "gt", low: 0, upper: "lt", high: 1, log: false },
    { kind: "float", lower: "ge", low: 1e-10, upper: "le", high: 1e10, log: true },
    { kind: "float", lower: "gt", low: 5e-300, upper: "lt", high: 1e300, log: true },
  );
  return fc.oneof(
    { weight: 5, arbitrary: continuous },
    { weight: 3, arbitrary: stepped },
    { weight: 1, arbitrary: special },
  );
}

function intArb(o: GenOptions): fc.Arbitrary<NumDesc> {
  const base = o.finite
    ? fc.integer({ min: -20, max: 20 })
    : fc.oneof(
        { weight: 6, arbitrary: fc.integer({ min: -1000, max: 1000 }) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(2 ** 50, -(2 ** 52), Number.MAX_SAFE_INTEGER - 5000, 1),
        },
      );
  const plain = fc
    .record({
      lower: fc.constantFrom("gt" as const, "ge" as const),
      upper: fc.constantFrom("lt" as const, "le" as const),
      base,
      width: fc.integer({ min: 1, max: o.finite ? 5 : 1000 }),
      mode: fc.constantFrom("plain", "plain", "log", "step"),
      step: fc.integer({ min: 1, max: 7 }),
      n: fc.integer({ min: 1, max: o.finite ? 5 : 12 }),
      def: fc.option(fc.nat(), { freq: 3 }),
      description: descriptionArb,
    })
    .map((r): NumDesc => {
      const extra = r.description !== undefined ? { description: r.description } : {};
      if (r.mode === "step") {
        const n = r.lower === "gt" && r.upper === "lt" && r.n < 2 ? 2 : r.n;
        const grid = { a: r.base, b: r.step, d: 0, n };
        return pickDefault(
          {
            kind: "int",
            lower: r.lower,
            low: r.base,
            upper: r.upper,
            high: r.base + n * r.step,
            log: false,
            step: r.step,
            grid,
            ...extra,
          },
          r.def,
        );
      }
      const low = r.mode === "log" ? Math.max(r.lower === "ge" ? 1 : 0, Math.abs(r.base)) : r.base;
      // At least one integer inside, whatever the bound kinds.
      const width = r.lower === "gt" && r.upper === "lt" ? Math.max(r.width, 2) : r.width;
      return pickDefault(
        {
          kind: "int",
          lower: r.lower,
          low,
          upper: r.upper,
          high: low + width,
          log: r.mode === "log",
          ...extra,
        },
        r.def,
      );
    });
  if (o.finite) return plain;
  // Ranges wider than 2^53 integers: still safe-integer bounds, so valid spaces (SPEC §1, §6).
  const wide = fc.constantFrom<NumDesc>(
    {
      kind: "int",
      lower: "ge",
      low: -Number.MAX_SAFE_INTEGER,
      upper: "le",
      high: Number.MAX_SAFE_INTEGER,
      log: false,
    },
    { kind: "int", lower: "ge", low: 1, upper: "le", high: Number.MAX_SAFE_INTEGER, log: true },
  );
  return fc.oneof({ weight: 30, arbitrary: plain }, { weight: 1, arbitrary: wide });
}

function catArb(o: GenOptions): fc.Arbitrary<CatDesc> {
  return fc
    .record({
      choices: fc.uniqueArray(fc.record({ value: choiceValue, weight: weightArb }), {
        minLength: 1,
        maxLength: o.finite ? 3 : 5,
        selector: (c) => canon(c.value),
      }),
      def: fc.option(fc.nat(), { freq: 3 }),
      description: descriptionArb,
    })
    .map((r): CatDesc => {
      const choices: ChoiceDesc[] = r.choices.map((c) =>
        c.weight === undefined ? { value: c.value } : { value: c.value, weight: c.weight },
      );
      const out: CatDesc = { kind: "categorical", choices };
      if (r.def !== null) out.default = { value: r.choices[r.def % r.choices.length]!.value };
      if (r.description !== undefined) out.description = r.description;
      return out;
    });
}

function configChoiceArb(o: GenOptions, depth: number): fc.Arbitrary<CatDesc> {
  return fc
    .record({
      configs: fc.uniqueArray(
        fc.record({ config: configArb(o, depth, false), weight: weightArb }),
        { minLength: 1, maxLength: o.finite ? 2 : 3, selector: (c) => c.config.name },
      ),
      withNull: fc.boolean(),
      extra: fc.uniqueArray(
        choiceValue.filter((v) => v !== null),
        {
          maxLength: 2,
          selector: canon,
        },
      ),
      order: fc.nat(),
      defaultNull: fc.boolean(),
    })
    .map((r): CatDesc => {
      const choices: ChoiceDesc[] = r.configs.map((c) =>
        c.weight === undefined ? { config: c.config } : { config: c.config, weight: c.weight },
      );
      const plain: ChoiceDesc[] = r.extra.map((v) => ({ value: v }));
      if (r.withNull) plain.push({ value: null });
      // Interleave plain choices at a generated position.
      const at = r.order % (choices.length + 1);
      choices.splice(at, 0, ...plain);
      const out: CatDesc = { kind: "categorical", choices };
      if (r.withNull && r.defaultNull) out.default = { value: null };
      return out;
    });
}

const fixedArb: fc.Arbitrary<FixedDesc> = fc
  .oneof(choiceValue, fc.constant("baseline"))
  .map((value) => ({ kind: "fixed", value }));

function leafArb(o: GenOptions): fc.Arbitrary<SpaceDesc> {
  return fc.oneof(
    { weight: 3, arbitrary: floatArb(o) },
    { weight: 3, arbitrary: intArb(o) },
    { weight: 3, arbitrary: catArb(o) },
    { weight: 2, arbitrary: fc.constant<BoolDesc>({ kind: "boolean" }) },
    { weight: 1, arbitrary: fixedArb },
  );
}

// Conditions are generated raw (which operator, which earlier field, which values, by number)
// and resolved once the config's earlier fields are known: a pure `map`, so shrinking works.
type RawCond =
  | { t: "leaf"; op: number; target: number; picks: number[] }
  | { t: "and" | "or"; items: RawCond[] }
  | { t: "not"; item: RawCond };

interface Pending {
  kind: "pending";
  raw: RawCond;
  ifTrue: Gen;
  ifFalse: Gen;
}
type Gen = SpaceDesc | Pending;

const rawCondArb: fc.Arbitrary<RawCond> = fc.letrec<{ cond: RawCond; leaf: RawCond }>((tie) => ({
  leaf: fc.record({
    t: fc.constant("leaf" as const),
    op: fc.nat(),
    target: fc.nat(),
    picks: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
  }),
  cond: fc.oneof(
    { maxDepth: 2, depthIdentifier: "cond" },
    { weight: 5, arbitrary: tie("leaf") },
    {
      weight: 1,
      arbitrary: fc.record({
        t: fc.constantFrom("and" as const, "or" as const),
        items: fc.array(tie("cond"), { minLength: 1, maxLength: 3 }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ t: fc.constant("not" as const), item: tie("cond") }) },
  ),
})).cond;

function pendingArb(o: GenOptions, depth: number): fc.Arbitrary<Pending> {
  const branch: fc.Arbitrary<Gen> =
    depth > 0
      ? fc.oneof(
          { weight: 4, arbitrary: leafArb(o) },
          { weight: 2, arbitrary: fixedArb },
          { weight: 1, arbitrary: configArb(o, depth - 1, false) },
          { weight: 1, arbitrary: configChoiceArb(o, depth - 1) },
          { weight: 1, arbitrary: pendingArb(o, depth - 1) },
        )
      : fc.oneof({ weight: 2, arbitrary: leafArb(o) }, { weight: 1, arbitrary: fixedArb });
  return fc.record({
    kind: fc.constant("pending" as const),
    raw: rawCondArb,
    ifTrue: branch,
    ifFalse: branch,
  });
}

function fieldSpaceArb(o: GenOptions, depth: number): fc.Arbitrary<Gen> {
  if (depth === 0) {
    return fc.oneof(
      { weight: 6, arbitrary: leafArb(o) },
      { weight: 2, arbitrary: pendingArb(o, 0) },
    );
  }
  return fc.oneof(
    { weight: 6, arbitrary: leafArb(o) },
    { weight: 3, arbitrary: pendingArb(o, depth) },
    { weight: 1, arbitrary: configArb(o, depth - 1, false) },
    { weight: 1, arbitrary: configChoiceArb(o, depth - 1) },
  );
}

/** Something an earlier field lets a condition read. */
type Target =
  | { path: string; kind: "values"; values: Json[] }
  | { path: string; kind: "number"; candidates: number[] }
  | { path: string; kind: "configs"; names: string[]; hasNull: boolean };

function collectTargets(s: SpaceDesc, path: string, out: Target[]): void {
  switch (s.kind) {
    case "float":
    case "int": {
      const candidates = numberCandidates(s);
      if (candidates.length > 0) out.push({ path, kind: "number", candidates });
      return;
    }
    case "boolean":
      out.push({ path, kind: "values", values: [true, false] });
      return;
    case "fixed":
      out.push({ path, kind: "values", values: [s.value] });
      return;
    case "categorical": {
      const names = s.choices.flatMap((c) => ("config" in c ? [c.config.name] : []));
      const only = s.choices[0]!;
      // A one-config categorical acts as a nested config: dotted paths may read into it.
      if (s.choices.length === 1 && "config" in only) {
        for (const f of only.config.fields) collectTargets(f.space, `${path}.${f.name}`, out);
      }
      if (names.length === 0) {
        out.push({
          path,
          kind: "values",
          values: s.choices.map((c) => (c as { value: Json }).value),
        });
      } else {
        const hasNull = s.choices.some((c) => "value" in c && c.value === null);
        out.push({ path, kind: "configs", names, hasNull });
      }
      return;
    }
    case "config":
      for (const f of s.fields) collectTargets(f.space, `${path}.${f.name}`, out);
      return;
    case "conditional": {
      // A conditional whose branches both hold known plain values: compare with their union.
      const branches: Target[] = [];
      collectTargets(s.ifTrue, path, branches);
      collectTargets(s.ifFalse, path, branches);
      const own = branches.filter((b) => b.path === path);
      if (own.length === 2 && own.every((b) => b.kind === "values")) {
        const values: Json[] = [];
        for (const b of own as { values: Json[] }[]) {
          for (const v of b.values) if (!values.some((x) => jsonEq(x, v))) values.push(v);
        }
        out.push({ path, kind: "values", values });
      }
      return;
    }
  }
}

const VALUE_OPS = ["eq", "ne", "in", "notIn"] as const;
const NUMBER_OPS = [
  "gt",
  "ge",
  "lt",
  "le",
  "gt",
  "ge",
  "lt",
  "le",
  "eq",
  "ne",
  "in",
  "notIn",
] as const;

function resolveCond(raw: RawCond, targets: Target[]): CondExpr {
  if (raw.t === "leaf") return resolveLeaf(raw, targets);
  if (raw.t === "not") return { op: "not", item: resolveCond(raw.item, targets) };
  return { op: raw.t, items: raw.items.map((i) => resolveCond(i, targets)) };
}

function resolveLeaf(raw: Extract<RawCond, { t: "leaf" }>, targets: Target[]): CondExpr {
  const t = targets[raw.target % targets.length]!;
  const pick = <T>(xs: readonly T[], i: number): T =>
    xs[raw.picks[i % raw.picks.length]! % xs.length]!;
  const pickMany = <T>(xs: readonly T[]): T[] => {
    const out: T[] = [];
    for (let i = 0; i < raw.picks.length; i++) {
      const x = pick(xs, i);
      if (!out.some((y) => jsonEq(y, x))) out.push(x);
    }
    return out;
  };
  if (t.kind === "configs") {
    if (t.hasNull && raw.op % 3 !== 0) {
      return { op: raw.op % 2 === 0 ? "eq" : "ne", path: t.path, value: null };
    }
    return { op: "isConfig", path: t.path, name: pick(t.names, 0) };
  }
  if (t.kind === "values") {
    const op = VALUE_OPS[raw.op % VALUE_OPS.length]!;
    if (op === "eq" || op === "ne") return { op, path: t.path, value: pick(t.values, 0) };
    return { op, path: t.path, values: pickMany(t.values) };
  }
  const c = t.candidates; // sorted ascending, all valid values of the field
  let op = NUMBER_OPS[raw.op % NUMBER_OPS.length]!;
  // A threshold must leave both outcomes possible (a constant comparison is a definition
  // error): `> v` and `<= v` need a larger candidate, `>= v` and `< v` a smaller one.
  if (c.length < 2 && (op === "gt" || op === "ge" || op === "lt" || op === "le")) op = "eq";
  if (op === "in" || op === "notIn") return { op, path: t.path, values: pickMany(c) };
  if (op === "eq" || op === "ne") return { op, path: t.path, value: pick(c, 0) };
  const usable = op === "gt" || op === "le" ? c.slice(0, -1) : c.slice(1);
  return { op, path: t.path, value: pick(usable, 0) };
}

function resolveGen(g: Gen, targets: Target[]): SpaceDesc {
  if (g.kind !== "pending") return g;
  if (targets.length === 0) return resolveGen(g.ifTrue, targets);
  return {
    kind: "conditional",
    when: resolveCond(g.raw, targets),
    ifTrue: resolveGen(g.ifTrue, targets),
    ifFalse: resolveGen(g.ifFalse, targets),
  };
}

/** Fields a refine may read: always active plain categoricals with at least two choices. */
function refinable(f: FieldDesc): { value: Json; weight: number }[] | undefined {
  if (f.space.kind === "boolean") {
    return [
      { value: true, weight: 1 },
      { value: false, weight: 1 },
    ];
  }
  if (f.space.kind !== "categorical" || f.space.choices.length < 2) return undefined;
  if (f.space.choices.some((c) => "config" in c)) return undefined;
  return f.space.choices.map((c) => ({
    value: (c as { value: Json }).value,
    weight: c.weight ?? 1,
  }));
}

const configCache = new Map<string, fc.Arbitrary<ConfigDesc>>();

/** An arbitrary config description; `depth` = how many config levels may still nest below. */
export function configArb(o: GenOptions, depth: number, root: boolean): fc.Arbitrary<ConfigDesc> {
  const key = `${o.finite}/${o.maxFields}/${depth}/${root}`;
  const cached = configCache.get(key);
  if (cached) return cached;
  const maxFields = root ? o.maxFields : Math.min(4, o.maxFields);
  const arb = fc
    .record({
      name: root ? fc.constant("Root") : fc.constantFrom(...CONFIG_NAMES),
      fields: fc.uniqueArray(
        fc.record({ name: fc.constantFrom(...FIELD_NAMES), space: fieldSpaceArb(o, depth) }),
        { minLength: root ? 1 : 0, maxLength: maxFields, selector: (f) => f.name },
      ),
      refine: fc.option(fc.record({ field: fc.nat(), value: fc.nat() }), { freq: 4 }),
      description: descriptionArb,
    })
    .map((r): ConfigDesc => {
      const fields: FieldDesc[] = [];
      const targets: Target[] = [];
      for (const f of r.fields) {
        const space = resolveGen(f.space, targets);
        fields.push({ name: f.name, space });
        collectTargets(space, f.name, targets);
      }
      const out: ConfigDesc = { kind: "config", name: r.name, fields };
      if (r.description !== undefined) out.description = r.description;
      const candidates = fields.filter((f) => refinable(f) !== undefined);
      if (r.refine && candidates.length > 0) {
        const f = candidates[r.refine.field % candidates.length]!;
        // Easy to satisfy: forbid a value drawn at most half of the time, so rejection
        // sampling (1000 draws by default) never runs out.
        const weighted = refinable(f)!;
        const total = weighted.reduce((n, w) => n + w.weight, 0);
        const values = weighted.filter((w) => w.weight <= total / 2).map((w) => w.value);
        const forbid = values[r.refine.value % values.length]!;
        out.refine = { field: f.name, forbid, message: `${f.name} must not be ${canon(forbid)}` };
      }
      return out;
    });
  configCache.set(key, arb);
  return arb;
}

/** Root config descriptions for the general properties. */
export const spaceDescArb: fc.Arbitrary<ConfigDesc> = configArb(
  { finite: false, maxFields: 8 },
  2,
  true,
);

/** Root config descriptions of finite spaces with at most `max` configs (for `grid()`). */
export function finiteSpaceDescArb(max = 500): fc.Arbitrary<ConfigDesc> {
  return configArb({ finite: true, maxFields: 4 }, 2, true).filter((d) => gridUpperBound(d) <= max);
}

// ---- overrides ----------------------------------------------------------------------------------

/** Values of a categorical that an override may keep (the refine's forbidden value excluded). */
function allowedValues(values: Json[], forbid: { value: Json } | undefined): Json[] {
  return forbid ? values.filter((v) => !jsonEq(v, forbid.value)) : values;
}

/** A non-empty subset of `xs`, in a generated order. */
function subsetArb<T>(xs: readonly T[]): fc.Arbitrary<T[]> {
  return fc
    .uniqueArray(fc.integer({ min: 0, max: xs.length - 1 }), {
      minLength: 1,
      maxLength: xs.length,
    })
    .map((is) => is.map((i) => xs[i]!));
}

/** A scalar override fixing a categorical to `v` (arrays must be wrapped: a list is a subset). */
function fixValue(v: Json, wrap: boolean): unknown {
  return Array.isArray(v) || wrap ? [v] : v;
}

function numberOverrideArb(d: NumDesc): fc.Arbitrary<unknown> {
  const cands = numberCandidates(d);
  const fix = fc.constantFrom(...cands);
  const list = subsetArb(cands).map((vs) => vs.slice(0, 4));
  const ranges: fc.Arbitrary<unknown>[] = [];
  if (d.grid) {
    const g = d.grid;
    const [first, last] = gridRange(d);
    if (last > first) {
      ranges.push(
        fc
          .record({
            i: fc.integer({ min: first, max: last - 1 }),
            span: fc.nat(),
            k: fc.integer({ min: 1, max: 3 }),
            withStep: fc.boolean(),
            lowerGt: fc.boolean(),
          })
          .map(({ span, ...r }) => ({ ...r, j: r.i + 1 + (span % (last - r.i)) }))
          .map((r) => {
            const out: Record<string, number> = {};
            const k = r.withStep && (r.j - r.i) % r.k === 0 ? r.k : 1;
            // gt one step below the first kept point keeps the same grid points.
            if (r.lowerGt && r.i - k >= first) out.gt = gridPoint(g, r.i - k);
            else out.ge = gridPoint(g, r.i);
            out.le = gridPoint(g, r.j);
            if (r.withStep) out.step = gridPoint({ a: 0, b: g.b * k, d: g.d, n: 1 }, 1);
            return out;
          }),
      );
    }
    // `{ step }` alone: a multiple of the step that divides the whole range keeps the bounds.
    const ks = [2, 3, 4].filter((k) => g.n % k === 0 && (d.upper === "le" || k < g.n));
    if (ks.length > 0 && d.lower === "ge") {
      ranges.push(
        fc
          .constantFrom(...ks)
          .map((k) => ({ step: gridPoint({ a: 0, b: g.b * k, d: g.d, n: 1 }, 1) })),
      );
    }
  } else if (cands.length >= 2) {
    ranges.push(
      fc
        .record({
          i: fc.integer({ min: 0, max: cands.length - 2 }),
          span: fc.nat(),
          lower: fc.constantFrom("gt", "ge"),
          upper: fc.constantFrom("lt", "le"),
          log: fc.boolean(),
        })
        .map((r) => {
          const j = r.i + 1 + (r.span % (cands.length - 1 - r.i));
          // An open int range needs an integer strictly inside; else close the upper end.
          const upper =
            d.kind === "int" && r.lower === "gt" && cands[j]! - cands[r.i]! < 2 ? "le" : r.upper;
          const lower = r.lower;
          const out: Record<string, unknown> = {
            [lower]: cands[r.i]!,
            [upper]: cands[j]!,
          };
          if (r.log) out.log = d.log; // the same scale, said explicitly
          return out;
        }),
    );
  }
  return fc.oneof(fix, list, ...ranges);
}

function categoricalOverrideArb(
  d: CatDesc,
  forbid: { value: Json } | undefined,
): fc.Arbitrary<unknown> | undefined {
  const hasConfigs = d.choices.some((c) => "config" in c);
  if (!hasConfigs) {
    if (d.choices.length < 2) return undefined; // a one-choice categorical is fixed
    const values = allowedValues(
      d.choices.map((c) => (c as { value: Json }).value),
      forbid,
    );
    return fc.oneof(
      fc
        .record({ v: fc.constantFrom(...values), wrap: fc.boolean() })
        .map((r) => fixValue(r.v, r.wrap)),
      subsetArb(values),
    );
  }
  // Each choice as a list item: a value, a config name, or { Name: nested override }.
  const itemArbs: fc.Arbitrary<unknown>[] = d.choices.map((c) =>
    "config" in c
      ? fc.oneof(
          fc.constant(c.config.name),
          configOverrideArb(c.config).map((o) => ({ [c.config.name]: o })),
        )
      : fc.constant(c.value),
  );
  const list = subsetArb(itemArbs.map((_, i) => i)).chain((is) =>
    fc.tuple(...is.map((i) => itemArbs[i]!)),
  );
  const configs = d.choices.flatMap((c) => ("config" in c ? [c.config] : []));
  // SpaX's dict form: { Name: nested | null | {} } keeps these config choices.
  const dict = subsetArb(configs).chain((cs) =>
    fc
      .tuple(...cs.map((c) => fc.oneof(fc.constant(null), fc.constant({}), configOverrideArb(c))))
      .map((os) => Object.fromEntries(cs.map((c, i) => [c.name, os[i]]))),
  );
  // A scalar fixes one choice; an array value must be wrapped (a bare list is a subset).
  const scalar = fc
    .constantFrom(...itemArbs)
    .chain((a) => a)
    .map((v) => (Array.isArray(v) ? [v] : v));
  return fc.oneof(list, dict, scalar);
}

function spaceOverrideArb(
  s: SpaceDesc,
  forbid?: { value: Json },
): fc.Arbitrary<unknown> | undefined {
  switch (s.kind) {
    case "float":
    case "int":
      return numberOverrideArb(s);
    case "categorical":
      return categoricalOverrideArb(s, forbid);
    case "boolean": {
      const values = allowedValues([true, false], forbid);
      return fc.oneof(
        fc
          .record({ v: fc.constantFrom(...values), wrap: fc.boolean() })
          .map((r) => fixValue(r.v, r.wrap)),
        subsetArb(values),
      );
    }
    case "fixed":
      return undefined;
    case "config":
      return configOverrideArb(s);
    case "conditional": {
      const t = spaceOverrideArb(s.ifTrue);
      const f = spaceOverrideArb(s.ifFalse);
      if (!t && !f) return undefined;
      const shape: Record<string, fc.Arbitrary<unknown>> = {};
      if (t) shape.true = t;
      if (f) shape.false = f;
      return fc.record(shape, { requiredKeys: [] });
    }
  }
}

/** An override of a described config that only narrows it (so spax must accept it). */
export function configOverrideArb(d: ConfigDesc): fc.Arbitrary<Record<string, unknown>> {
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const f of d.fields) {
    const forbid = d.refine && d.refine.field === f.name ? { value: d.refine.forbid } : undefined;
    const a = spaceOverrideArb(f.space, forbid);
    if (a) shape[f.name] = a;
  }
  return fc.record(shape, { requiredKeys: [] }) as fc.Arbitrary<Record<string, unknown>>;
}

/** A space description together with an override valid for it. */
export const spaceWithOverrideArb = spaceDescArb.chain((desc) =>
  configOverrideArb(desc).map((override) => ({ desc, override })),
);

// ---- overrides that must be rejected -------------------------------------------------------------

/** A value no described space holds as a choice, for "not one of the choices" overrides. */
function notAChoice(values: Json[]): Json {
  const pool: Json[] = [...TRICKY, "zz-not-a-choice", 12345];
  return pool.find((v) => !values.some((x) => jsonEq(x, v)))!;
}

/**
 * Overrides of one field that spax must reject (SPEC §7): values outside the base space (type
 * included), ranges that widen it (including `ge` where the base says `gt`), a changed scale,
 * off-grid values and steps, a fixed field overridden (even with its own value), wrong shapes.
 */
export function badFieldOverrides(s: SpaceDesc): unknown[] {
  switch (s.kind) {
    case "float":
    case "int": {
      const lowKey = s.lower;
      const highKey = s.upper;
      const width = Math.max(1, Math.abs(s.low), Math.abs(s.high));
      const out: unknown[] = [String(s.low), true, null, Number.NaN, [], { log: !s.log }];
      out.push({ foo: 1 }, { ge: s.low, gt: s.low, [highKey]: s.high });
      const below = s.low - width;
      const above = s.high + width;
      if (Number.isFinite(below) && !numberContains(s, below)) {
        out.push(below, [numberCandidates(s)[0], below], { ge: below, [highKey]: s.high });
      }
      if (Number.isFinite(above) && !numberContains(s, above)) {
        out.push(above, { [lowKey]: s.low, le: above });
      }
      // An exclusive bound widened to an inclusive one.
      if (s.lower === "gt") out.push({ ge: s.low, [highKey]: s.high });
      if (s.upper === "lt") out.push({ [lowKey]: s.low, le: s.high });
      const cands = numberCandidates(s);
      if (s.kind === "int" && Math.abs(cands[0]!) < 2 ** 50) out.push(cands[0]! + 0.5);
      if (s.grid) {
        const off = (gridPoint(s.grid, 0) + gridPoint(s.grid, 1)) / 2;
        if (!numberContains(s, off)) out.push(off);
        const halfStep = s.step! * 1.5;
        out.push({ step: halfStep });
      }
      return out;
    }
    case "categorical": {
      const values = s.choices.flatMap((c) => ("value" in c ? [c.value] : []));
      const hasConfigs = values.length < s.choices.length;
      const bad = notAChoice(values);
      const out: unknown[] = [[bad], [], "NoSuchConfig"];
      // A bare array is a subset and a plain object the `{ Name: … }` form: wrap those.
      if (!Array.isArray(bad) && !isPlain(bad)) out.push(bad);
      if (values.length > 0) out.push([values[0], values[0]]); // listed twice
      if (!hasConfigs && s.choices.length === 1) out.push(values[0]); // a fixed field
      if (hasConfigs) out.push({ NoSuchConfig: {} });
      return out;
    }
    case "boolean":
      return ["true", 1, null, [true, "false"], []];
    case "fixed":
      return [s.value, [s.value], { x: 1 }];
    case "conditional":
      return [1, "x", [], { maybe: 1 }];
    case "config":
      return [1, "x", [], { "no such field": 1 }];
  }
}

/** A space description, a path to one field, and an override of that field it must reject. */
export const spaceWithBadOverrideArb = spaceDescArb.chain((desc) =>
  fc
    .record({
      field: fc.nat(),
      which: fc.nat(),
      unknown: fc.boolean(),
    })
    .map(({ field, which, unknown }) => {
      if (unknown || desc.fields.length === 0) {
        return { desc, override: { "no such field": 1 }, field: "no such field" };
      }
      const f = desc.fields[field % desc.fields.length]!;
      const bads = badFieldOverrides(f.space);
      return { desc, override: { [f.name]: bads[which % bads.length] }, field: f.name };
    }),
);

// ---- fake samplers ------------------------------------------------------------------------------

/** A small seeded PRNG (mulberry32), independent of spax's Mersenne Twister. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function decimals(x: number): number {
  const s = String(Math.abs(x));
  const e = s.indexOf("e");
  const mantissa = e < 0 ? s : s.slice(0, e);
  const exp = e < 0 ? 0 : Number(s.slice(e + 1));
  const dot = mantissa.indexOf(".");
  return Math.max(0, (dot < 0 ? 0 : mantissa.length - dot - 1) - exp);
}

/** One recorded `suggest*` call. */
export interface SuggestCall {
  name: string;
  kind: "float" | "int" | "categorical";
  low?: number;
  high?: number;
  options?: unknown;
  choices?: readonly unknown[];
}

export interface FakeSampler extends sp.SpaceSampler {
  calls: SuggestCall[];
}

/**
 * A sampler that returns valid values for whatever it is asked: random ones (`rand`) or always
 * the low bound / first choice (`rand` omitted). Step grids are computed in exact decimals, as
 * a careful sampler would; log draws are clamped into [low, high].
 */
export function fakeSampler(rand?: () => number): FakeSampler {
  const calls: SuggestCall[] = [];
  const r = rand ?? (() => 0);
  const number = (
    kind: "float" | "int",
    name: string,
    low: number,
    high: number,
    o?: sp.SuggestNumberOptions,
  ): number => {
    calls.push({ name, kind, low, high, options: { ...o } });
    if (o?.step !== undefined) {
      const d = Math.min(20, Math.max(decimals(low), decimals(o.step)));
      const s = 10 ** d;
      const L = Math.round(low * s);
      const S = Math.round(o.step * s);
      const n = Math.floor((Math.round(high * s) - L) / S);
      const k = Math.min(n, Math.floor(r() * (n + 1)));
      return (L + k * S) / s;
    }
    let x: number;
    if (o?.log) x = Math.exp(Math.log(low) + (Math.log(high) - Math.log(low)) * r());
    else {
      const u = r();
      // high − low overflows for the whole double range; interpolate the halves instead.
      x = Number.isFinite(high - low)
        ? low + (high - low) * u
        : low + (high / 2 - low / 2) * (2 * u);
    }
    if (kind === "int") x = Math.round(x);
    return Math.min(high, Math.max(low, x));
  };
  return {
    calls,
    suggestFloat: (name, low, high, o) => number("float", name, low, high, o),
    suggestInt: (name, low, high, o) => number("int", name, low, high, o),
    suggestCategorical: (name, choices, o) => {
      calls.push({ name, kind: "categorical", choices: [...choices], options: { ...o } });
      return choices[Math.min(choices.length - 1, Math.floor(r() * choices.length))];
    },
  };
}

// ---- junk ---------------------------------------------------------------------------------------

/**
 * Replaces the value at a generated position inside `value` (a config or an override) with
 * `junk`, or deletes it, or adds an unknown key: near-misses that reach deep validation paths.
 */
export function mutate(value: unknown, picks: number[], junk: unknown): unknown {
  const step = (v: unknown, i: number): unknown => {
    const p = picks[i];
    if (p === undefined || v === null || typeof v !== "object") return junk;
    if (Array.isArray(v)) {
      if (v.length === 0) return [junk];
      const at = p % v.length;
      return v.map((x, j) => (j === at ? step(x, i + 1) : x));
    }
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    const mode = p % 7;
    if (keys.length === 0 || mode === 5) return { ...o, [`extra${p % 3}`]: junk };
    const key = keys[p % keys.length]!;
    if (mode === 6) {
      const { [key]: _, ...rest } = o;
      return rest;
    }
    return { ...o, [key]: step(o[key], i + 1) };
  };
  return step(value, 0);
}
