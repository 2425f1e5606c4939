/**
 * The base of every space and the type-level machinery that turns a space into the type of its
 * configs (`sp.Infer`).
 * @module
 */
import type { CategoricalSpace } from "./categorical.js";
import type { ConditionalSpace } from "./conditional.js";
import type { ConfigSpace } from "./config.js";
import type { FixedSpace } from "./fixed.js";
import type { FloatSpace, IntSpace } from "./number.js";
import type { JsonValue } from "./values.js";

/**
 * A space of values of type `Out`. Every space is an immutable definition; the operations on it
 * (sampling, validation, narrowing, drawing) live in walkers that switch on `kind`.
 */
export abstract class Space<Out = unknown> {
  /** Phantom: the type of the values this space holds. Never set at run time. */
  declare readonly "~output": Out;
  /** The tag the walkers switch on. */
  abstract readonly kind: SpaceKind;
  /** Free text shown to users (tree, docs); no effect on sampling. */
  abstract readonly description: string | undefined;
}

/** Tags of the space kinds. */
export type SpaceKind = "float" | "int" | "categorical" | "conditional" | "config" | "fixed";

/** Any concrete space; walkers switch on its `kind` with an exhaustive `never` check. */
export type AnySpace =
  | FloatSpace
  | IntSpace
  | CategoricalSpace<unknown>
  | ConditionalSpace<unknown, string>
  | ConfigSpace<string, any, unknown>
  | FixedSpace;

/** What a config field (or a conditional branch) may be: a space or a plain JSON-like value. */
export type FieldInput = Space<unknown> | JsonValue;

/**
 * The type of the configs (values) of a space: `sp.Infer<typeof Training>`.
 * A plain value infers as itself (a fixed field keeps its literal type).
 * @example
 * const Lr = sp.float({ ge: 1e-5, le: 1e-1, log: true });
 * type Lr = sp.Infer<typeof Lr>; // number
 */
export type Infer<T> = T extends Space<infer O> ? O : T;

/** Flattens an intersection into one object type, so editors show `{ a: number; b: string }`. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {};

/**
 * The value type of a config that is one of several alternatives (a categorical choice or a
 * conditional branch): it carries `__type__`, its config's name, so unions of configs are
 * discriminated unions.
 */
export type Alternative<T> =
  T extends ConfigSpace<infer N, any, infer O> ? Simplify<O & { __type__: N }> : Infer<T>;

/** True for space instances (as opposed to plain values). */
export function isSpace(value: unknown): value is AnySpace {
  return value instanceof Space;
}

/** Exhaustiveness check for `switch (space.kind)`. */
export function unreachable(value: never): never {
  throw new Error(`spax internal error: unexpected ${JSON.stringify(value)}`);
}
