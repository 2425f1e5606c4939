/**
 * Definition-time analysis of a config's conditions: every condition must name existing
 * fields (dotted paths only through nested configs), compare with values the field can hold,
 * and the fields must be orderable without cycles. The order is SpaX's: declaration order
 * when the config has no conditional; otherwise Kahn's algorithm always taking the
 * lexicographically smallest ready field. Unlike SpaX, conditionals nested inside branches are
 * analysed and ordered too (SpaX defect 1).
 * @module
 */
import { type PathSegment, SpaxDefinitionError } from "../errors.js";
import type { CategoricalSpace } from "./categorical.js";
import {
  AndCondition,
  type Condition,
  FieldCondition,
  FieldsCondition,
  NotCondition,
  OrCondition,
} from "./conditions.js";
import type { ConfigSpace } from "./config.js";
import type { FloatSpace, IntSpace } from "./number.js";
import type { AnySpace } from "./space.js";
import { formatJson, type JsonValue, jsonEquals } from "./values.js";

/** A config's fields as the analysis needs them. */
export interface FieldEntry {
  readonly name: string;
  readonly space: AnySpace;
}

/** Every condition in a field's space: its own and those of conditionals nested in branches. */
export function conditionsOf(space: AnySpace, out: Condition[] = []): Condition[] {
  if (space.kind === "conditional") {
    out.push(space.condition);
    conditionsOf(space.ifTrue, out);
    conditionsOf(space.ifFalse, out);
  }
  return out;
}

/** The field conditions inside and/or/not trees. */
function leaves(condition: Condition, out: (FieldCondition | FieldsCondition)[] = []) {
  if (condition instanceof FieldCondition || condition instanceof FieldsCondition)
    out.push(condition);
  else if (condition instanceof AndCondition || condition instanceof OrCondition) {
    for (const c of condition.conditions) leaves(c, out);
  } else if (condition instanceof NotCondition) leaves(condition.condition, out);
  return out;
}

/** The config a space stands for when a dotted path descends into it, if any. */
function nestedConfig(space: AnySpace): ConfigSpace<string, any, unknown> | undefined {
  if (space.kind === "config") return space;
  if (space.kind === "categorical" && space.single && space.entries[0]!.config) {
    return space.entries[0]!.config;
  }
  return undefined;
}

/** The values a space can hold when that set is small and known, else `undefined`. */
function possibleValues(space: AnySpace): JsonValue[] | undefined {
  switch (space.kind) {
    case "fixed":
      return [space.value];
    case "categorical":
      return space.hasConfigs ? undefined : space.entries.map((e) => e.value as JsonValue);
    case "conditional": {
      const t = possibleValues(space.ifTrue);
      const f = possibleValues(space.ifFalse);
      return t && f ? [...t, ...f] : undefined;
    }
    default:
      return undefined;
  }
}

/** Whether `space` can hold the plain value `v` (configs never equal a literal). */
function canHold(space: AnySpace, v: JsonValue): boolean {
  switch (space.kind) {
    case "fixed":
      return jsonEquals(space.value, v);
    case "categorical":
      return space.indexOf(v) >= 0;
    case "float":
    case "int":
      return space.check(v) === undefined;
    case "conditional":
      return canHold(space.ifTrue, v) || canHold(space.ifFalse, v);
    case "config":
      return false;
  }
}

/** Whether some branch or choice of `space` is the config named `name`. */
function canHoldConfig(space: AnySpace, name: string): boolean {
  switch (space.kind) {
    case "config":
      return space.name === name;
    case "categorical":
      return space.configIndexOf(name) >= 0;
    case "conditional":
      return canHoldConfig(space.ifTrue, name) || canHoldConfig(space.ifFalse, name);
    default:
      return false;
  }
}

function isNumeric(space: AnySpace): space is FloatSpace | IntSpace {
  return space.kind === "float" || space.kind === "int";
}

/** Checks that a comparison can be true and false for the field it reads; throws otherwise. */
function checkOperand(
  condition: FieldCondition,
  target: AnySpace,
  fail: (why: string, code: string) => never,
): void {
  const text = condition.render();
  const path = condition.path;
  switch (condition.op) {
    case "eq":
    case "ne":
    case "in":
    case "not_in": {
      const operands =
        condition.op === "eq" || condition.op === "ne"
          ? [condition.operand as JsonValue]
          : (condition.operand as JsonValue[]);
      // A compared value the field can never hold is almost always a typo (`"adamw"`).
      if (isNumeric(target)) {
        const bad = operands.find((v) => typeof v !== "number" || target.check(v) !== undefined);
        if (bad !== undefined) {
          fail(
            `condition ${text} compares with ${formatJson(bad)}, a value ${path} can never hold (${typeof bad === "number" ? `${path} ${target.check(bad)}` : `${path} is a number`})`,
            "impossible_condition",
          );
        }
        return;
      }
      const bad = operands.find((v) => !canHold(target, v));
      if (bad !== undefined) {
        const possible = possibleValues(target);
        const configName =
          typeof bad === "string" &&
          target.kind === "categorical" &&
          target.configIndexOf(bad) >= 0;
        fail(
          configName
            ? `condition ${text} compares ${path} with the string ${formatJson(bad)}, but ${path} holds a ${bad} config, never that string; test it with sp.field(${JSON.stringify(path)}).isConfig(${bad})`
            : `condition ${text} compares with ${formatJson(bad)}, which is not a possible value of ${path}${possible ? ` (${possible.map(formatJson).join(", ")})` : ""}`,
          "impossible_condition",
        );
      }
      return;
    }
    case "gt":
    case "ge":
    case "lt":
    case "le": {
      if (isNumeric(target)) {
        // A threshold beyond the field's range means the true branch can never be taken.
        const n = condition.operand as number;
        const canHold =
          condition.op === "gt"
            ? target.max > n
            : condition.op === "ge"
              ? target.max >= n
              : condition.op === "lt"
                ? target.min < n
                : target.min <= n;
        if (!canHold) {
          fail(
            `condition ${text} can never hold: ${path} lies in ${target.rangeText()}`,
            "impossible_condition",
          );
        }
        return;
      }
      const possible = possibleValues(target);
      if (target.kind === "config" || (possible && !possible.some((p) => typeof p === "number"))) {
        fail(
          `condition ${text} compares ${path} with a number, but ${path} never holds a number`,
          "impossible_condition",
        );
      }
      return;
    }
    case "is_config":
      if (!canHoldConfig(target, condition.operand as string)) {
        fail(
          `condition ${text} can never hold: ${path} is never a ${condition.operand as string} config`,
          "impossible_condition",
        );
      }
      return;
    case "test":
      return;
  }
}

/**
 * Checks the conditions of every field and returns, per field, the indexes of the sibling
 * fields it depends on.
 * @throws SpaxDefinitionError naming the field whose condition is wrong.
 */
export function analyseDependencies(
  fields: readonly FieldEntry[],
  index: ReadonlyMap<string, number>,
  path: readonly PathSegment[],
  checkComparisons = true,
): number[][] {
  return fields.map((entry, self) => {
    const deps = new Set<number>();
    for (const condition of conditionsOf(entry.space)) {
      for (const leaf of leaves(condition)) {
        const leafPaths = leaf instanceof FieldCondition ? [leaf.path] : leaf.fieldPaths;
        for (const dotted of leafPaths) {
          const fail = (why: string, code: string): never => {
            throw new SpaxDefinitionError(why, { path: [...path, entry.name], code });
          };
          const segments = dotted.split(".");
          const root = index.get(segments[0]!);
          if (root === undefined) {
            fail(
              `condition ${leaf.render()} refers to unknown field ${JSON.stringify(segments[0])}; fields are ${fields.map((f) => f.name).join(", ")}`,
              "unknown_field",
            );
          }
          if (root === self) {
            fail(`condition ${leaf.render()} refers to the field itself`, "self_reference");
          }
          let target = fields[root!]!.space;
          for (let i = 1; i < segments.length; i++) {
            const nested = nestedConfig(target);
            const walked = segments.slice(0, i).join(".");
            if (!nested) {
              fail(
                `condition ${leaf.render()}: ${walked} is a ${target.kind === "categorical" && target.hasConfigs ? "choice among configs" : target.kind} field, not a nested config, so ${dotted} cannot be read (test a choice with sp.field(${JSON.stringify(walked)}).isConfig(...))`,
                "invalid_field_path",
              );
            }
            const next = nested!.fields.find((f) => f.name === segments[i]);
            if (!next) {
              fail(
                `condition ${leaf.render()}: config ${nested!.name} (at ${walked}) has no field ${JSON.stringify(segments[i])}`,
                "unknown_field",
              );
            }
            target = next!.space;
          }
          if (checkComparisons && leaf instanceof FieldCondition) checkOperand(leaf, target, fail);
          deps.add(root!);
        }
      }
    }
    return [...deps];
  });
}

/** Compares strings by code point, as Python does (JavaScript's `<` compares UTF-16 units). */
function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done === y.done ? 0 : x.done ? -1 : 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

/**
 * SpaX's field order: declaration order without conditionals; otherwise a topological order
 * that always takes the lexicographically smallest ready field.
 * @throws SpaxDefinitionError on a cycle, listing the fields involved.
 */
export function fieldOrder(
  fields: readonly FieldEntry[],
  deps: readonly (readonly number[])[],
  path: readonly PathSegment[],
): number[] {
  if (!fields.some((f) => f.space.kind === "conditional")) return fields.map((_, i) => i);
  const remaining = deps.map((d) => new Set(d));
  const done = new Set<number>();
  const order: number[] = [];
  while (order.length < fields.length) {
    let best = -1;
    for (let i = 0; i < fields.length; i++) {
      if (done.has(i) || remaining[i]!.size > 0) continue;
      if (best < 0 || compareCodePoints(fields[i]!.name, fields[best]!.name) < 0) best = i;
    }
    if (best < 0) {
      const stuck = fields.map((_, i) => i).filter((i) => !done.has(i));
      const edges = stuck
        .filter((i) => remaining[i]!.size > 0)
        .map(
          (i) =>
            `${fields[i]!.name} -> ${[...remaining[i]!].map((j) => fields[j]!.name).join(", ")}`,
        );
      throw new SpaxDefinitionError(
        `circular dependency among fields ${stuck.map((i) => fields[i]!.name).join(", ")} (${edges.join("; ")})`,
        { path, code: "circular_dependency" },
      );
    }
    done.add(best);
    order.push(best);
    for (const r of remaining) r.delete(best);
  }
  return order;
}

/** Whether a categorical acts as a nested config (single config choice). */
export function singleConfig(
  space: CategoricalSpace,
): ConfigSpace<string, any, unknown> | undefined {
  return space.single ? space.entries[0]!.config : undefined;
}
