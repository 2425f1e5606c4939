/**
 * JSON-like values: the only values a config may hold, so that every config can be written to
 * JSON, YAML and TOML and read back unchanged. Equality is by value *and* type: `1`, `"1"`,
 * `true`, `null`, `0` and `""` are six different values (unlike Python's `1 == True`).
 * @module
 */
import {
  formatPath,
  formatValue,
  type PathSegment,
  SpaxDefinitionError,
  SpaxError,
} from "../errors.js";

/** A value a config field may hold: JSON's data model with finite numbers. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/** True for `{}`-style objects (not arrays, class instances or null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Checks that `value` is JSON-like and returns a deep-frozen copy, so that a fixed value or a
 * choice shared by every sampled config can never be mutated through one of them.
 * @throws SpaxDefinitionError naming the path of the first value that is not JSON-like.
 */
export function freezeJson(
  value: unknown,
  path: readonly PathSegment[],
  what: string,
  seen: Set<object> = new Set(),
): JsonValue {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      if (!Number.isFinite(value)) {
        throw new SpaxDefinitionError(`${what} must be a finite number, got ${value}`, {
          path,
          code: "not_finite",
        });
      }
      return value === 0 ? 0 : value; // -0 → 0: JSON cannot tell them apart
    case "object": {
      if (value === null) return null;
      if (seen.has(value)) {
        throw new SpaxDefinitionError(`${what} contains a cycle`, { path, code: "not_json" });
      }
      seen.add(value);
      let out: JsonValue;
      if (Array.isArray(value)) {
        out = Object.freeze(value.map((v, i) => freezeJson(v, [...path, i], what, seen)));
      } else if (isPlainObject(value)) {
        const copy: Record<string, JsonValue> = {};
        for (const key of Object.keys(value)) {
          copy[key] = freezeJson(value[key], [...path, key], what, seen);
        }
        out = Object.freeze(copy);
      } else {
        const name = (value as object).constructor?.name ?? "object";
        throw new SpaxDefinitionError(
          `${what} must be JSON-like (string, number, boolean, null, array, plain object), got a ${name}`,
          { path, code: "not_json" },
        );
      }
      seen.delete(value);
      return out;
    }
    default:
      throw new SpaxDefinitionError(
        `${what} must be JSON-like (string, number, boolean, null, array, plain object), got ${typeof value}`,
        { path, code: "not_json" },
      );
  }
}

/** Deep equality of JSON-like values by value and type; object key order does not matter. */
export function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEquals(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k)) return false;
    if (!jsonEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
      return false;
  }
  return true;
}

/**
 * A string that identifies a compound (array/object) JSON value up to object key order, used
 * to look choices up by value. Primitives are looked up directly in a `Map`, which already
 * keeps `1`, `"1"` and `true` apart.
 */
export function canonicalKey(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalKey).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalKey((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  // JSON.stringify would write NaN and Infinity as null: keep non-JSON values apart from JSON ones.
  if (typeof value === "number" && !Number.isFinite(value)) return `#${value}`;
  if (
    value === undefined ||
    typeof value === "function" ||
    typeof value === "symbol" ||
    typeof value === "bigint"
  ) {
    return `#${typeof value}`;
  }
  return JSON.stringify(value);
}

/**
 * Formats a number the way the tree prints it: JavaScript's shortest form, except that
 * magnitudes below 1e-3 use exponent form (`1e-5`, `2.5e-4`), as SPEC §5 asks.
 */
export function formatNumber(n: number): string {
  if (n !== 0 && Math.abs(n) < 1e-3) return n.toExponential();
  return String(n);
}

/**
 * Renders a JSON-like value for the tree and for messages in SpaX's style: strings in single
 * quotes, `true`/`false`/`null`, arrays `[1, 2]`, objects `{'a': 1}`.
 */
export function formatJson(value: unknown): string {
  if (typeof value === "string") {
    return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n")}'`;
  }
  if (typeof value === "number") return formatNumber(value);
  if (value === null || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(formatJson).join(", ")}]`;
  if (isPlainObject(value)) {
    return `{${Object.keys(value)
      .map((k) => `${formatJson(k)}: ${formatJson(value[k])}`)
      .join(", ")}}`;
  }
  return String(value);
}

/**
 * An options argument: `undefined` (→ `{}`) or a plain object. Anything else is a clear error
 * rather than a TypeError from reading a property of `null`.
 */
export function optionsObject(
  options: unknown,
  where: string,
  ErrorClass: typeof SpaxError = SpaxError,
  allowed?: readonly string[],
): Record<string, unknown> {
  if (options === undefined) return {};
  if (!isPlainObject(options)) {
    throw new ErrorClass(`${where}: options must be an object, got ${formatValue(options)}`, {
      code: "invalid_options",
    });
  }
  if (allowed) {
    // A misspelt option (`ntrials`, `directon`) must not be silently ignored.
    for (const key of Object.keys(options)) {
      if (!allowed.includes(key)) {
        throw new ErrorClass(
          `${where}: unknown option ${JSON.stringify(key)}; the options are ${allowed.join(", ")}`,
          {
            code: "invalid_option",
          },
        );
      }
    }
  }
  return options;
}

/** Checks that an option, when given, is a boolean. */
export function booleanOption(value: unknown, name: string, where: string): boolean | undefined {
  if (value !== undefined && typeof value !== "boolean") {
    throw new SpaxError(`${where}: ${name} must be true or false, got ${formatValue(value)}`, {
      code: "invalid_option",
    });
  }
  return value;
}

/** Renders a path for messages, `<root>` when empty. */
export function pathText(path: readonly PathSegment[]): string {
  return formatPath(path) || "<root>";
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** The smallest double greater than `x` (`x` finite). */
export function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  f64[0] = x;
  u64[0] = x > 0 ? u64[0]! + 1n : u64[0]! - 1n;
  return f64[0]!;
}

/** The largest double smaller than `x` (`x` finite). */
export function nextDown(x: number): number {
  return -nextUp(-x);
}
