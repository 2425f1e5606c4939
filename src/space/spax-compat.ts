/**
 * SpaX-style names, so SpaX code ports line by line: `sp.Float({ ge, le, distribution: "log" })`,
 * `sp.Conditional(sp.FieldCondition("x", sp.LargerThan(8)), { true, false })`, …
 * They build the same spaces and conditions as the idiomatic API.
 * @module
 */
import { formatValue, SpaxDefinitionError } from "../errors.js";
import {
  type CategoricalOptions,
  type CategoricalSpace,
  type Choice as ChoiceClass,
  type ChoiceInput,
  categorical,
  choice,
  type InferChoice,
} from "./categorical.js";
import {
  AndCondition,
  type Condition,
  FieldCondition as FieldConditionClass,
  FieldRef,
  FieldsCondition,
  NotCondition,
  OrCondition,
} from "./conditions.js";
import type { ConfigSpace } from "./config.js";
import { type FloatSpace, type IntSpace, type NumberOptions, numberSpace } from "./number.js";
import type { JsonValue } from "./values.js";
import { isPlainObject } from "./values.js";

/** SpaX's number options: `distribution: "uniform" | "log"` instead of `log`. */
export type SpaxNumberOptions = Omit<NumberOptions, "log"> & { distribution?: "uniform" | "log" };

function spaxNumber(kind: "float" | "int", options: SpaxNumberOptions): FloatSpace | IntSpace {
  const label = `sp.${kind === "int" ? "Int" : "Float"}(${formatValue(options)})`;
  if (!isPlainObject(options)) return numberSpace(kind, options, label);
  const { distribution, ...rest } = options as SpaxNumberOptions & Record<string, unknown>;
  if (distribution !== undefined && distribution !== "uniform" && distribution !== "log") {
    throw new SpaxDefinitionError(
      `${label}: unknown distribution ${formatValue(distribution)}; expected "uniform" or "log"`,
      {
        code: "invalid_option",
      },
    );
  }
  // Accept spax's `log` too, but never let the two disagree silently.
  if (
    rest.log !== undefined &&
    distribution !== undefined &&
    rest.log !== (distribution === "log")
  ) {
    throw new SpaxDefinitionError(`${label}: log and distribution disagree; give one of them`, {
      code: "invalid_option",
    });
  }
  return numberSpace(kind, { ...rest, log: rest.log ?? distribution === "log" }, label);
}

/** SpaX's `Float(ge=…, le=…, distribution="log")`. @see float */
export function Float(options: SpaxNumberOptions): FloatSpace {
  return spaxNumber("float", options) as FloatSpace;
}

/** SpaX's `Int(ge=…, le=…, distribution="log")`. @see int */
export function Int(options: SpaxNumberOptions): IntSpace {
  return spaxNumber("int", options) as IntSpace;
}

/** SpaX's `Categorical([...])`. @see categorical */
export function Categorical<const C extends readonly ChoiceInput[]>(
  choices: C,
  options?: CategoricalOptions<InferChoice<C[number]>>,
): CategoricalSpace<InferChoice<C[number]>> {
  return categorical(choices, options);
}

/** SpaX's `Choice(value, weight)`; the weight may also be given as `{ weight }`. @see choice */
export function Choice<const V extends JsonValue | ConfigSpace<string, any, any>>(
  value: V,
  weight: number | { weight?: number } = 1,
): ChoiceClass<V> {
  return choice(value, typeof weight === "number" ? { weight } : weight);
}

export { conditional as Conditional } from "./conditional.js";

/** A test on one value, to be applied to a field by {@link FieldCondition} (SpaX's object conditions). */
export class ValueCondition {
  constructor(readonly apply: (path: string) => FieldConditionClass) {}
}

/** SpaX's `EqualsTo(v)`. */
export const EqualsTo = (value: JsonValue) => new ValueCondition((p) => new FieldRef(p).eq(value));
/** SpaX's `NotEqualsTo(v)`. */
export const NotEqualsTo = (value: JsonValue) =>
  new ValueCondition((p) => new FieldRef(p).ne(value));
/** SpaX's `In([...])`. */
export const In = (values: readonly JsonValue[]) =>
  new ValueCondition((p) => new FieldRef(p).in(values));
/** SpaX's `NotIn([...])`. */
export const NotIn = (values: readonly JsonValue[]) =>
  new ValueCondition((p) => new FieldRef(p).notIn(values));
/** SpaX's `LargerThan(v, or_equals)`. */
export const LargerThan = (value: number, orEquals = false) =>
  new ValueCondition((p) => (orEquals ? new FieldRef(p).ge(value) : new FieldRef(p).gt(value)));
/** SpaX's `SmallerThan(v, or_equals)`. */
export const SmallerThan = (value: number, orEquals = false) =>
  new ValueCondition((p) => (orEquals ? new FieldRef(p).le(value) : new FieldRef(p).lt(value)));
/** SpaX's `IsInstance(Config)`: the field holds that config. */
export const IsInstance = (config: ConfigSpace<string, any, any>) =>
  new ValueCondition((p) => new FieldRef(p).isConfig(config));
/** SpaX's `Lambda(fn)`: a custom predicate on the value. */
export const Lambda = (fn: (value: any) => boolean, label?: string) =>
  new ValueCondition((p) => new FieldRef(p).test(fn, label));

/**
 * SpaX's `FieldCondition(path, condition)`. The inner condition may itself be a
 * `FieldCondition`, reading a field of the nested config (`FieldCondition("opt",
 * FieldCondition("name", EqualsTo("sgd")))` reads `opt.name`).
 */
export function FieldCondition<const P extends string>(
  path: P,
  condition: ValueCondition | FieldConditionClass,
): FieldConditionClass<P> {
  if (condition instanceof ValueCondition) return condition.apply(path) as FieldConditionClass<P>;
  if (condition instanceof FieldConditionClass) {
    return new FieldConditionClass(
      `${path}.${condition.path}`,
      condition.op,
      condition.operand,
      condition.predicate,
      condition.label,
    ) as FieldConditionClass<P>;
  }
  throw new SpaxDefinitionError(
    `FieldCondition needs a value condition such as EqualsTo(1), got ${formatValue(condition)}`,
    {
      code: "invalid_condition",
    },
  );
}

/** SpaX's `And([...])`. */
export const And = <const C extends readonly Condition<any>[]>(conditions: C) =>
  new AndCondition<C[number]["~paths"]>(conditionList(conditions, "And"));
/** SpaX's `Or([...])`. */
export const Or = <const C extends readonly Condition<any>[]>(conditions: C) =>
  new OrCondition<C[number]["~paths"]>(conditionList(conditions, "Or"));
/** SpaX's `Not(c)`. */
export const Not = <P extends string>(condition: Condition<P>) => new NotCondition<P>(condition);
/** SpaX's `MultiFieldLambdaCondition(paths, fn)`. */
export const MultiFieldLambdaCondition = <const P extends string>(
  paths: readonly P[],
  fn: (values: Record<P, any>) => boolean,
  label?: string,
) =>
  new FieldsCondition<P>(
    conditionList(paths, "MultiFieldLambdaCondition") as P[],
    fn as never,
    label,
  );

/** SpaX takes a list (any non-string iterable); a string or a non-iterable is a clear error. */
function conditionList(items: unknown, what: string): unknown[] {
  if (
    typeof items === "string" ||
    items === null ||
    typeof items !== "object" ||
    !(Symbol.iterator in items)
  ) {
    throw new SpaxDefinitionError(`${what} needs a list, got ${formatValue(items)}`, {
      code: "invalid_condition",
    });
  }
  return [...(items as Iterable<unknown>)];
}
