/**
 * Per-config compiled forms for the hot paths (sampling, validation, grids): each field's
 * conditions bound to the config's slots (values by declaration index), and builders that
 * create the config object in one step. Building objects key by key is slow in V8 for wide
 * configs (they fall into dictionary mode past ~128 keys); an object literal is not.
 * @module
 */
import type { BoundCondition, PathReader, Slots } from "./conditions.js";
import type { AnySpace } from "./space.js";

/** How to decide a field: its space and, for conditionals, the bound condition and branch plans. */
export interface FieldPlan {
  readonly space: AnySpace;
  readonly test: BoundCondition | undefined;
  readonly ifTrue: FieldPlan | undefined;
  readonly ifFalse: FieldPlan | undefined;
}

/** The plan of a field's space; conditionals nested in branches are bound too. */
export function planField(space: AnySpace, read: PathReader): FieldPlan {
  if (space.kind !== "conditional")
    return { space, test: undefined, ifTrue: undefined, ifFalse: undefined };
  return {
    space,
    test: space.condition.bind(read),
    ifTrue: planField(space.ifTrue, read),
    ifFalse: planField(space.ifFalse, read),
  };
}

/** A reader of dotted paths over slots: the root is a field index, the rest plain properties. */
export function slotReader(index: ReadonlyMap<string, number>): PathReader {
  return (segments) => {
    const i = index.get(segments[0]!)!;
    if (segments.length === 1) return (s: Slots) => s[i];
    const rest = segments.slice(1);
    return (s: Slots) => {
      let v: unknown = s[i];
      for (const key of rest) {
        if (v === null || typeof v !== "object") return undefined;
        v = (v as Record<string, unknown>)[key];
      }
      return v;
    };
  };
}

/** Builds a config object from slots, keys in declaration order (then `__type__` if tagged). */
export type Builder = (slots: Slots) => Record<string, unknown>;

/**
 * A builder for these field names. Generates an object-literal function where the platform
 * allows it (not under a CSP that forbids `new Function`, and no `__proto__` key, which a
 * literal would treat as the prototype); otherwise assigns key by key.
 */
export function compileBuilder(names: readonly string[], tag?: string): Builder {
  if (!names.includes("__proto__")) {
    try {
      const props = names.map((n, i) => `${JSON.stringify(n)}: s[${i}]`);
      if (tag !== undefined) props.push(`"__type__": ${JSON.stringify(tag)}`);
      return new Function("s", `return { ${props.join(", ")} };`) as Builder;
    } catch {
      // Code generation not allowed here: fall through to the plain builder.
    }
  }
  return (s) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) {
      Object.defineProperty(out, names[i]!, {
        value: s[i],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    if (tag !== undefined) out.__type__ = tag;
    return out;
  };
}
