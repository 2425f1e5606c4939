/**
 * Conditional spaces: which of two branches a field takes depends on a condition over other
 * fields. Each branch is a space, a config, a fixed value or another conditional.
 * @module
 */
import { formatValue, type PathSegment, SpaxDefinitionError } from "../errors.js";
import { Condition } from "./conditions.js";
import { FixedSpace } from "./fixed.js";
import { type Alternative, type AnySpace, type FieldInput, isSpace, Space } from "./space.js";
import { optionsObject } from "./values.js";

/** Field paths read by the conditions of a (possibly nested) conditional. */
type PathsIn<B> = B extends ConditionalSpace<any, infer Q> ? Q : never;

/** A field whose space is one of two branches, chosen by a condition on other fields. */
export class ConditionalSpace<Out = unknown, P extends string = string> extends Space<Out> {
  declare readonly "~paths": P;
  readonly kind = "conditional" as const;
  readonly condition: Condition;
  readonly ifTrue: AnySpace;
  readonly ifFalse: AnySpace;
  readonly description: string | undefined;

  constructor(
    condition: unknown,
    branches: unknown,
    rawOptions: { description?: string } = {},
    path: readonly PathSegment[] = [],
  ) {
    super();
    const options = optionsObject(rawOptions, "sp.conditional", SpaxDefinitionError);
    const fail = (why: string, code: string): never => {
      throw new SpaxDefinitionError(`sp.conditional: ${why}`, { path, code });
    };
    if (!(condition instanceof Condition)) {
      fail(
        `the first argument must be a condition such as sp.field("x").eq(1), got ${formatValue(condition)}`,
        "invalid_condition",
      );
    }
    if (branches === null || typeof branches !== "object" || Array.isArray(branches)) {
      fail(
        `the branches must be an object { true, false }, got ${formatValue(branches)}`,
        "invalid_branches",
      );
    }
    const b = branches as Record<string, unknown>;
    const extra = Object.keys(b).filter((k) => k !== "true" && k !== "false");
    if (extra.length > 0)
      fail(
        `unknown branch keys ${extra.map((k) => JSON.stringify(k)).join(", ")}; expected true and false`,
        "invalid_branches",
      );
    if (!("true" in b) || !("false" in b))
      fail("needs both branches: { true: …, false: … }", "invalid_branches");
    this.condition = condition as Condition;
    this.ifTrue = toBranch(b.true, [...path, "true"]);
    this.ifFalse = toBranch(b.false, [...path, "false"]);
    if (options.description !== undefined && typeof options.description !== "string") {
      fail(
        `description must be a string, got ${formatValue(options.description)}`,
        "invalid_option",
      );
    }
    this.description = options.description as string | undefined;
  }

  /** The branch for a condition outcome. */
  branch(outcome: boolean): AnySpace {
    return outcome ? this.ifTrue : this.ifFalse;
  }
}

function toBranch(value: unknown, path: readonly PathSegment[]): AnySpace {
  if (value === undefined) {
    throw new SpaxDefinitionError("a branch cannot be undefined; use null for 'no value'", {
      path,
      code: "invalid_branches",
    });
  }
  return isSpace(value) ? value : new FixedSpace(value, path);
}

/**
 * A conditional space: the field takes the `true` branch when `condition` holds for the
 * config's other fields, else the `false` branch. A branch is a space, a config, a fixed value
 * or another conditional; the inactive branch's field must hold that branch's fixed value.
 * @throws SpaxDefinitionError for a non-condition or missing branches; conditions naming unknown
 * fields or forming cycles are reported by `sp.config`.
 * @example
 * const dropoutRate = sp.conditional(sp.field("useDropout").eq(true), {
 *   true: sp.float({ ge: 0.1, le: 0.5 }),
 *   false: 0,
 * }); // number
 */
export function conditional<
  P extends string,
  const B extends { readonly true: FieldInput; readonly false: FieldInput },
>(
  condition: Condition<P>,
  branches: B,
  options?: { description?: string },
): ConditionalSpace<
  Alternative<B["true"]> | Alternative<B["false"]>,
  P | PathsIn<B["true"]> | PathsIn<B["false"]>
> {
  return new ConditionalSpace(condition, branches, options);
}
