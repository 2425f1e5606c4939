/**
 * Validation of concrete configs (`parse` / `safeParse`). Fields are checked in SpaX's order,
 * so every condition sees the validated values of the fields it reads; missing fields take
 * defaults; every problem becomes an {@link Issue} with its path, rule and value.
 *
 * Hot path: nothing is allocated for a valid field except the output objects; paths are
 * built only when an issue is found (the container prepends its key, as zod does).
 * @module
 */
import { formatValue, type Issue, type IssueCode, SpaxError } from "../errors.js";
import type { CategoricalSpace } from "./categorical.js";
import type { ConditionalSpace } from "./conditional.js";
import type { ConfigSpace } from "./config.js";
import type { FixedSpace } from "./fixed.js";
import type { NumberSpace } from "./number.js";
import type { FieldPlan } from "./plan.js";
import { type AnySpace, unreachable } from "./space.js";
import { formatJson, formatNumber, isPlainObject, jsonEquals } from "./values.js";

/** The result of `safeParse`. */
export type SafeParseResult<T> =
  | { success: true; data: T }
  | { success: false; issues: readonly Issue[]; error: import("../errors.js").SpaxValidationError };

const INVALID: unique symbol = Symbol("invalid");
type Checked = unknown | typeof INVALID;

type AnyConfig = ConfigSpace<string, any, unknown>;
type Values = Record<string, unknown>;

function issue(
  issues: Issue[],
  code: IssueCode,
  input: unknown,
  message: string,
  extra?: Partial<Issue>,
): typeof INVALID {
  issues.push({ code, path: [], input, message, ...extra });
  return INVALID;
}

/** Prepends `key` to the paths of the issues added since `mark`. */
function prefix(issues: Issue[], mark: number, key: string | number): void {
  for (let i = mark; i < issues.length; i++) issues[i]!.path.unshift(key);
}

/** Validates `data` against a config; issues are collected, never thrown. */
export function validateConfig(
  config: AnyConfig,
  data: unknown,
): { success: true; data: unknown } | { success: false; issues: Issue[] } {
  const issues: Issue[] = [];
  const out = checkConfig(config, data, issues, false);
  return out === INVALID ? { success: false, issues } : { success: true, data: out };
}

/** Runs a config's `refine` constraints; returns the messages of those that fail. */
export function failedConstraints(config: AnyConfig, value: Values): string[] {
  let failed: string[] | undefined;
  for (const c of config.constraints) {
    let ok: unknown;
    try {
      ok = c.predicate(value);
    } catch (cause) {
      throw new SpaxError(
        `constraint "${c.message}" threw: ${cause instanceof Error ? cause.message : String(cause)}`,
        { path: [config.name], code: "constraint_threw", cause },
      );
    }
    if (ok !== true) {
      if (ok !== false) {
        throw new SpaxError(
          `constraint "${c.message}" must return a boolean, got ${formatValue(ok)}`,
          {
            path: [config.name],
            code: "constraint_not_boolean",
          },
        );
      }
      failed ??= [];
      failed.push(c.message);
    }
  }
  return failed ?? [];
}

/** Validates one config value; `tagged` configs (choices, branches) carry `__type__`. */
export function checkConfig(
  config: AnyConfig,
  data: unknown,
  issues: Issue[],
  tagged: boolean,
): Checked {
  if (!isPlainObject(data)) {
    return issue(
      issues,
      "invalid_type",
      data,
      `expected an object (config ${config.name}), got ${formatValue(data)}`,
    );
  }
  const fields = config.fields;
  const plans = config.plans;
  const inherited = config.inheritedNames;
  const slots = new Array<unknown>(fields.length);
  let failed: Set<number> | undefined;
  let present = 0;
  for (const i of config.order) {
    const name = fields[i]!.name;
    // A field named like an Object.prototype member (`toString`) must not read the inherited one.
    const v = inherited[i] && !Object.hasOwn(data, name) ? undefined : data[name];
    if (v !== undefined) present++;
    if (failed !== undefined && config.dependencies[i]!.some((d) => failed!.has(d))) {
      // A condition reading an invalid field cannot be decided: that field's issue is reported.
      failed.add(i);
      continue;
    }
    const mark = issues.length;
    const r = checkPlan(plans[i]!, v, issues, slots);
    if (r === INVALID) {
      prefix(issues, mark, name);
      failed ??= new Set();
      failed.add(i);
      continue;
    }
    slots[i] = r;
  }
  let keys = 0;
  for (const _ in data) keys++;
  const tag = data.__type__;
  if (tag !== undefined) {
    keys--;
    if (tag !== config.name) {
      issue(
        issues,
        "unknown_config_type",
        tag,
        `__type__ is ${formatValue(tag)} but this is config ${config.name}`,
        {
          path: ["__type__"],
          expected: [config.name],
        },
      );
      failed ??= new Set();
    }
  }
  if (keys !== present) {
    for (const key of Object.keys(data)) {
      if (key === "__type__" || config.fieldIndex(key) >= 0) continue;
      issue(
        issues,
        "unknown_field",
        data[key],
        `unknown field (config ${config.name} has ${fields.map((f) => f.name).join(", ")})`,
        { path: [key] },
      );
      failed ??= new Set();
    }
  }
  if (failed !== undefined) return INVALID;
  const out = config.build(slots, tagged);
  if (config.constraints.length > 0) {
    const broken = failedConstraints(config, out);
    if (broken.length > 0) {
      for (const message of broken)
        issue(issues, "constraint_failed", out, `constraint failed: ${message}`);
      return INVALID;
    }
  }
  return out;
}

/** Validates `v` (possibly `undefined` = missing) against a field's plan. */
function checkPlan(plan: FieldPlan, v: unknown, issues: Issue[], slots: unknown[]): Checked {
  const space = plan.space;
  if (space.kind !== "conditional") return checkSpace(space, v, issues);
  const outcome = plan.test!(slots);
  const branch = outcome ? plan.ifTrue! : plan.ifFalse!;
  const mark = issues.length;
  const r =
    branch.space.kind === "config"
      ? checkConfig(branch.space, v === undefined ? {} : v, issues, true)
      : checkPlan(branch, v, issues, slots);
  // A nested conditional explains its own branch; explain only the innermost one.
  if (r === INVALID && branch.space.kind !== "conditional") {
    const why = `${space.condition.render()} is ${outcome}`;
    for (let i = mark; i < issues.length; i++) {
      const it = issues[i]!;
      if (it.path.length > 0) continue;
      it.message =
        branch.space.kind === "fixed"
          ? `must be ${formatJson(branch.space.value)} (the ${outcome} branch, since ${why}), got ${formatValue(v)}`
          : `${it.message} (the ${outcome} branch is active, since ${why})`;
    }
  }
  return r;
}

/** Validates `v` (possibly `undefined` = missing) against a space that is not a conditional. */
function checkSpace(
  space: Exclude<AnySpace, ConditionalSpace>,
  v: unknown,
  issues: Issue[],
): Checked {
  switch (space.kind) {
    case "float":
    case "int":
      return checkNumber(space, v, issues);
    case "categorical":
      return checkCategorical(space, v, issues);
    case "config":
      return checkConfig(space, v === undefined ? {} : v, issues, false);
    case "fixed":
      return checkFixed(space, v, issues);
    default:
      return unreachable(space);
  }
}

function missing(issues: Issue[]): typeof INVALID {
  return issue(issues, "missing_field", undefined, "required field is missing (it has no default)");
}

function checkNumber(space: NumberSpace, v: unknown, issues: Issue[]): Checked {
  if (typeof v !== "number") {
    if (v === undefined) return space.default !== undefined ? space.default : missing(issues);
    return issue(
      issues,
      "invalid_type",
      v,
      `expected ${space.kind === "int" ? "an integer" : "a number"}, got ${typeName(v)} ${formatValue(v)}`,
    );
  }
  if (!Number.isFinite(v))
    return issue(issues, "not_finite", v, `expected a finite number, got ${v}`);
  if (space.kind === "int") {
    if (!Number.isInteger(v))
      return issue(issues, "not_integer", v, `expected an integer, got ${v}`);
    if (!Number.isSafeInteger(v)) {
      return issue(
        issues,
        "unsafe_integer",
        v,
        `expected a safe integer (|n| <= 2^53 - 1), got ${v}`,
      );
    }
  }
  if (space.lowInclusive ? v < space.low : v <= space.low) {
    return issue(
      issues,
      "too_small",
      v,
      `must be ${space.lowInclusive ? ">=" : ">"} ${formatNumber(space.low)}, got ${formatNumber(v)}`,
      {
        bound: space.low,
        inclusive: space.lowInclusive,
      },
    );
  }
  if (space.highInclusive ? v > space.high : v >= space.high) {
    return issue(
      issues,
      "too_big",
      v,
      `must be ${space.highInclusive ? "<=" : "<"} ${formatNumber(space.high)}, got ${formatNumber(v)}`,
      {
        bound: space.high,
        inclusive: space.highInclusive,
      },
    );
  }
  if (space.step !== undefined) {
    const k = space.gridIndex(v);
    if (k < 0) {
      return issue(
        issues,
        "not_on_step",
        v,
        `must lie on the grid ${formatNumber(space.low)} + k * ${formatNumber(space.step)}, got ${formatNumber(v)}`,
      );
    }
    return space.gridValue(k); // the exact grid point (3 × 0.2 → 0.6)
  }
  return v === 0 ? 0 : v; // -0 → 0, as files would store it
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

/** Labels of a categorical's choices for messages: values, and config names. */
export function choiceLabels(space: CategoricalSpace): string[] {
  return space.entries.map((e) => (e.config ? `${e.config.name} (config)` : formatJson(e.value)));
}

function checkCategorical(space: CategoricalSpace, v: unknown, issues: Issue[]): Checked {
  if (v === undefined) {
    if (space.hasDefault) return space.default;
    if (!space.single) return missing(issues);
    // A one-choice categorical acts as a fixed value: omitted means that value.
    const only = space.entries[0]!;
    return only.config ? checkConfig(only.config, {}, issues, true) : only.value;
  }
  const i = space.indexOf(v);
  if (i >= 0) return space.entries[i]!.value;
  if (space.hasConfigs && isPlainObject(v)) return checkConfigChoice(space, v, issues);
  return issue(
    issues,
    "not_in_choices",
    v,
    `${formatValue(v)} is not one of the choices ${choiceLabels(space).join(", ")}`,
    {
      expected: space.entries.map((e) => (e.config ? e.config.name : e.value)),
    },
  );
}

/** Picks the config a plain object stands for: by `__type__`, or the one config it validates as. */
function checkConfigChoice(
  space: CategoricalSpace,
  v: Record<string, unknown>,
  issues: Issue[],
): Checked {
  const configs = space.entries.filter((e) => e.config).map((e) => e.config!);
  const tag = v.__type__;
  if (tag !== undefined) {
    const i = typeof tag === "string" ? space.configIndexOf(tag) : -1;
    if (i < 0) {
      return issue(
        issues,
        "unknown_config_type",
        tag,
        `__type__ ${formatValue(tag)} is not one of the configs ${configs.map((c) => c.name).join(", ")}`,
        {
          path: ["__type__"],
          expected: configs.map((c) => c.name),
        },
      );
    }
    return checkConfig(space.entries[i]!.config!, v, issues, true);
  }
  if (configs.length === 1) return checkConfig(configs[0]!, v, issues, true);
  const matches: { config: AnyConfig; value: unknown }[] = [];
  for (const c of configs) {
    const scratch: Issue[] = [];
    const r = checkConfig(c, v, scratch, true);
    if (r !== INVALID) matches.push({ config: c, value: r });
  }
  if (matches.length === 1) return matches[0]!.value;
  if (matches.length > 1) {
    return issue(
      issues,
      "ambiguous_config",
      v,
      `matches configs ${matches.map((m) => m.config.name).join(" and ")}; add "__type__" to say which`,
      {
        expected: matches.map((m) => m.config.name),
      },
    );
  }
  // Report against the config whose fields cover the given keys, if exactly one does.
  const keys = Object.keys(v);
  const covering = configs.filter((c) => keys.every((k) => c.fieldIndex(k) >= 0));
  if (covering.length === 1) return checkConfig(covering[0]!, v, issues, true);
  return issue(
    issues,
    "unknown_config_type",
    v,
    `matches none of the configs ${configs.map((c) => c.name).join(", ")}; add "__type__" to say which was meant`,
    {
      expected: configs.map((c) => c.name),
    },
  );
}

function checkFixed(space: FixedSpace, v: unknown, issues: Issue[]): Checked {
  if (v === undefined || v === space.value || jsonEquals(v, space.value)) return space.value;
  return issue(
    issues,
    "fixed_value_mismatch",
    v,
    `must be ${formatJson(space.value)} (fixed), got ${formatValue(v)}`,
    {
      expected: [space.value],
    },
  );
}
