/**
 * The spax error family. Every error a user can cause is a {@link SpaxError} that names the
 * path it concerns (`optimizer.lr`), the rule that failed and the value that failed it.
 *
 * Issues (from `safeParse`) are data: a `code`, a `path`, the `input` and the failed facts;
 * `message` is their rendering. This module imports nothing.
 * @module
 */

/** One step of a path: a field name or an array index. */
export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Renders a path the way users write it: `optimizer.lr`, `layers[0].units`, `a["b.c"]`.
 * The root renders as the empty string.
 */
export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/**
 * Renders a value for a message: strings quoted, numbers in JavaScript's shortest form,
 * containers abbreviated. Never throws (cycles, symbols and functions included).
 */
export function formatValue(value: unknown, depth = 0): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
    case "number":
      return Object.is(value, -0) ? "-0" : String(value);
    case "bigint":
      return `${value}n`;
    case "boolean":
    case "undefined":
      return String(value);
    case "symbol":
      return value.toString();
    case "function":
      return `[function ${value.name || "anonymous"}]`;
  }
  if (value === null) return "null";
  if (depth > 2) return Array.isArray(value) ? "[...]" : "{...}";
  if (Array.isArray(value)) {
    const items = value.slice(0, 8).map((v) => formatValue(v, depth + 1));
    if (value.length > 8) items.push("...");
    return `[${items.join(", ")}]`;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    const name = (value as object).constructor?.name;
    return name ? `[${name}]` : "[object]";
  }
  const keys = Object.keys(value as object);
  const items = keys
    .slice(0, 8)
    .map(
      (k) =>
        `${IDENTIFIER.test(k) ? k : JSON.stringify(k)}: ${formatValue((value as Record<string, unknown>)[k], depth + 1)}`,
    );
  if (keys.length > 8) items.push("...");
  return `{${items.join(", ")}}`;
}

/** Options shared by every spax error. */
export interface SpaxErrorOptions {
  /** The path the error concerns, as segments. */
  path?: readonly PathSegment[];
  /** What failed, as a snake_case code (`too_big`, `unknown_field`, …). */
  code?: string;
  /** The error this one wraps. */
  cause?: unknown;
}

/**
 * Base class of every error spax throws on purpose. `path` is the rendered path (`""` for the
 * root), `code` the failed rule; the message starts with the path.
 */
export class SpaxError extends Error {
  override name = "SpaxError";
  /** Rendered path, e.g. `optimizer.lr`; empty for the whole config. */
  readonly path: string;
  /** The path as segments. */
  readonly pathSegments: readonly PathSegment[];
  /** The rule that failed, as a snake_case code. */
  readonly code: string;

  constructor(detail: string, options: SpaxErrorOptions = {}) {
    const segments = options.path ?? [];
    const path = formatPath(segments);
    super(path ? `${path}: ${detail}` : detail, { cause: options.cause });
    this.path = path;
    this.pathSegments = segments;
    this.code = options.code ?? "spax_error";
  }
}

/**
 * A space was defined wrongly: bad bounds, an empty categorical, a condition on an unknown
 * field, a cycle. Thrown at definition time, so mistakes surface before any trial runs.
 */
export class SpaxDefinitionError extends SpaxError {
  override name = "SpaxDefinitionError";
}

/** An override (object or file) widens the space, names an unknown field or has a wrong type. */
export class SpaxOverrideError extends SpaxError {
  override name = "SpaxOverrideError";
  /** The file the override came from, when it came from one. */
  readonly file: string | undefined;
  /** 1-based line in `file`, when known. */
  readonly line: number | undefined;

  constructor(detail: string, options: SpaxErrorOptions & { file?: string; line?: number } = {}) {
    super(detail, { ...options, path: ["override", ...(options.path ?? [])] });
    this.file = options.file;
    this.line = options.line;
    if (options.file !== undefined) {
      this.message = `${options.file}${options.line !== undefined ? `:${options.line}` : ""}: ${this.message}`;
    }
  }
}

/** A file (override, config, space) is not well-formed JSON, YAML or TOML. */
export class SpaxSyntaxError extends SpaxError {
  override name = "SpaxSyntaxError";
  /** The file name, or `<text>` for a string. */
  readonly file: string;
  /** 1-based line of the problem. */
  readonly line: number;
  /** 1-based column of the problem. */
  readonly column: number;

  constructor(
    detail: string,
    options: { file: string; line: number; column: number; format: string; cause?: unknown },
  ) {
    super(
      `${options.file}:${options.line}:${options.column}: invalid ${options.format}: ${detail}`,
      {
        code: "invalid_syntax",
        cause: options.cause,
      },
    );
    this.file = options.file;
    this.line = options.line;
    this.column = options.column;
  }
}

/** Sampling could not produce a config: an unsatisfiable constraint, a misbehaving sampler. */
export class SpaxSamplingError extends SpaxError {
  override name = "SpaxSamplingError";
}

/** Codes of validation issues. Each issue carries the facts its code needs. */
export type IssueCode =
  | "invalid_type"
  | "not_finite"
  | "not_integer"
  | "unsafe_integer"
  | "too_small"
  | "too_big"
  | "not_on_step"
  | "not_in_choices"
  | "missing_field"
  | "unknown_field"
  | "unknown_config_type"
  | "ambiguous_config"
  | "fixed_value_mismatch"
  | "constraint_failed";

/** One problem found by validation. `message` is a rendering of the other fields. */
export interface Issue {
  code: IssueCode;
  /** Where, as segments from the root of the validated value. */
  path: PathSegment[];
  /** The offending value (`undefined` for a missing field). */
  input: unknown;
  /** Human-readable text, without the path. */
  message: string;
  /** The bound for `too_small`/`too_big`. */
  bound?: number;
  /** Whether the bound is inclusive, for `too_small`/`too_big`. */
  inclusive?: boolean;
  /** The allowed values, for `not_in_choices` and `unknown_config_type`. */
  expected?: readonly unknown[];
}

/** Renders an issue as `path: message`. */
export function formatIssue(issue: Issue): string {
  const path = formatPath(issue.path);
  return path ? `${path}: ${issue.message}` : issue.message;
}

/** A config failed validation; `issues` lists every problem with its path, rule and value. */
export class SpaxValidationError extends SpaxError {
  override name = "SpaxValidationError";
  /** Every problem found, in field order. */
  readonly issues: readonly Issue[];

  constructor(issues: readonly Issue[], configName?: string) {
    const first = issues[0];
    const head = configName ? `invalid ${configName}` : "invalid config";
    const lines = issues.map((i) => `  - ${formatIssue(i)}`);
    super(
      `${head} (${issues.length} issue${issues.length === 1 ? "" : "s"}):\n${lines.join("\n")}`,
      {
        path: first?.path ?? [],
        code: first?.code ?? "invalid_config",
      },
    );
    // The message leads with the summary, not with the first issue's path.
    this.message = `${head} (${issues.length} issue${issues.length === 1 ? "" : "s"}):\n${lines.join("\n")}`;
    this.issues = issues;
  }
}
