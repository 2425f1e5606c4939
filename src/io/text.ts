/**
 * The format layer of `io/`: text ⇄ plain data for JSON, YAML and TOML.
 *
 * Reading gives JSON-like data (objects, arrays, strings, numbers, booleans, null; YAML `.inf`
 * and TOML `nan` stay numbers, for validation to reject) and a `locate` function for error
 * messages; malformed text throws a
 * {@link SpaxSyntaxError} naming file, line and column. Writing accepts JSON-like data only and
 * is exact: `parseText(stringifyData(v, f), f).data` deep-equals `v` in every format (TOML: see
 * {@link stringifyData} for null and key order).
 * @module
 */

import {
  findNodeAtLocation,
  type JSONPath,
  type Node as JsonNode,
  parseTree,
  printParseErrorCode,
  visit as visitJson,
} from "jsonc-parser";
import { parse as parseToml, stringify as stringifyToml, TomlError } from "smol-toml";
import type { ScalarTag, Tags } from "yaml";
import {
  type Document,
  isAlias,
  isMap,
  isNode,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  stringify as stringifyYaml,
  visit as visitYaml,
  type YAMLError,
} from "yaml";
import { formatValue, type PathSegment, SpaxError, SpaxSyntaxError } from "../errors.js";

/** A text format spax reads and writes. */
export type DataFormat = "json" | "yaml" | "toml";

/** The result of {@link parseText}: the data plus where each part of it was written. */
export interface ParsedText {
  /** The parsed value: JSON-like plain data. */
  data: unknown;
  /** The format the text was read as. */
  format: DataFormat;
  /** The file name, or `"<text>"` for a string. */
  file: string;
  /**
   * The 1-based line where the value at `path` is written (for an object member, the line of
   * its key), else the line of its nearest existing ancestor; `undefined` when unknown
   * (always for TOML, whose parser keeps no positions).
   */
  locate(path: readonly PathSegment[]): number | undefined;
}

/** The key that lists a TOML table's null-valued keys (TOML has no null). */
const NULL_KEY = "__null__";

const EXTENSIONS: Record<string, DataFormat> = {
  json: "json",
  yaml: "yaml",
  yml: "yaml",
  toml: "toml",
};

/**
 * The format a file name implies, by its extension (case-insensitive).
 * @returns `"json"` for `.json`, `"yaml"` for `.yaml`/`.yml`, `"toml"` for `.toml`, else
 *   `undefined`.
 * @example
 * formatFromPath("override.YML"); // "yaml"
 * formatFromPath("notes.txt"); // undefined
 */
export function formatFromPath(path: string): DataFormat | undefined {
  const extension = /\.([^./\\]+)$/.exec(path)?.[1]?.toLowerCase();
  return extension !== undefined && Object.hasOwn(EXTENSIONS, extension)
    ? EXTENSIONS[extension]
    : undefined;
}

/**
 * Parses JSON, YAML or TOML text into plain data. A leading UTF-8 BOM is ignored.
 *
 * - JSON is strict: no comments, no trailing commas, no duplicate keys.
 * - YAML is read as YAML 1.2 (core schema): `1e-5` is a number and `yes`/`no`/`on` are strings,
 *   unlike PyYAML's YAML 1.1. One document only; duplicate keys, unknown tags
 *   (`!!python/tuple`) and non-scalar keys are errors; aliases resolve.
 * - TOML: the `__null__` list written by {@link stringifyData} turns back into null keys;
 *   dates and times, and integers beyond ±(2^53 − 1), are errors naming their path.
 *
 * @param options.file - The name used in errors and in the result; defaults to `"<text>"`.
 * @throws SpaxSyntaxError (code `invalid_syntax`) for malformed text, with file, line and
 *   column; also for empty JSON or YAML text (empty TOML is `{}`).
 * @throws SpaxError (codes `unsafe_integer`, `unsupported_value`, `invalid_null_list`) for
 *   well-formed text holding values that are not plain data, naming their path.
 * @example
 * const parsed = parseText("optimizer:\n  lr: 1e-5\n", "yaml", { file: "override.yaml" });
 * parsed.data; // { optimizer: { lr: 0.00001 } }
 * parsed.locate(["optimizer", "lr"]); // 2
 */
export function parseText(
  text: string,
  format: DataFormat,
  options: { file?: string } = {},
): ParsedText {
  if (typeof text !== "string") {
    throw new SpaxError(`expected text (a string), got ${formatValue(text)}`, {
      code: "invalid_text",
    });
  }
  if (options === null || typeof options !== "object") {
    throw new SpaxError(`options must be an object, got ${formatValue(options)}`, {
      code: "invalid_options",
    });
  }
  if (options.file !== undefined && typeof options.file !== "string") {
    throw new SpaxError(`file must be a string, got ${formatValue(options.file)}`, {
      code: "invalid_options",
    });
  }
  const file = options.file ?? "<text>";
  // Editors on Windows like to start files with a BOM; it is not content.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  switch (format) {
    case "json":
      return parseJson(body, file);
    case "yaml":
      return parseYaml(body, file);
    case "toml":
      return parseTomlText(body, file);
    default:
      throw unknownFormat(format satisfies never, file);
  }
}

/**
 * Writes plain data as JSON, YAML or TOML text ending with a newline, such that
 * {@link parseText} reads back a deep-equal value. `-0` is written as `0`.
 *
 * TOML has no null, so a table's null-valued keys are left out and listed, in order, in a
 * string array `__null__` written where the first of them stood; reading restores them there.
 * Key order is otherwise kept, except that TOML writes a table's plain values before its
 * sub-tables, and null keys that were not adjacent come back next to each other.
 *
 * @throws SpaxError (code `not_serializable`) for non-finite numbers, `undefined`, functions,
 *   symbols, bigints, class instances (Date, Map, …) and cycles, naming their path.
 * @throws SpaxError (codes `toml_root_not_table`, `toml_null_in_array`, `toml_reserved_key`)
 *   for TOML: a root that is not an object, a null inside an array, a real `__null__` key;
 *   and `not_serializable` for a lone surrogate, which TOML text cannot hold.
 * @example
 * stringifyData({ lr: 1e-5, scheduler: null }, "toml");
 * // 'lr = 0.00001\n__null__ = [ "scheduler" ]\n'
 */
export function stringifyData(data: unknown, format: DataFormat): string {
  if (format === "toml" && !isPlainObject(data)) {
    throw new SpaxError(`TOML needs an object at the top level, got ${formatValue(data)}`, {
      code: "toml_root_not_table",
    });
  }
  const plain = exportValue(data, [], format, new Set());
  let text: string;
  switch (format) {
    case "json":
      text = JSON.stringify(plain, null, 2);
      break;
    case "yaml":
      // yaml 2.9 writes a top-level string with leading spaces and a newline as a block scalar
      // (`|1-`) that it cannot read back; quoted is safe.
      text = stringifyYaml(
        plain,
        typeof plain === "string" ? { ...YAML_WRITE, blockQuote: false } : YAML_WRITE,
      );
      break;
    case "toml":
      text = stringifyToml(plain);
      break;
    default:
      throw unknownFormat(format satisfies never, "<data>");
  }
  return text.endsWith("\n") ? text : `${text}\n`;
}

// ---------------------------------------------------------------------------------------------
// Reading

const JSON_OPTIONS = { disallowComments: true, allowTrailingComma: false } as const;

function parseJson(text: string, file: string): ParsedText {
  if (/^[ \t\r\n]*$/.test(text)) throw syntaxError("empty file", file, 1, 1, "json");
  // jsonc-parser finds the position (JSON.parse only gives an offset, worded per engine) and
  // duplicate keys (JSON.parse silently keeps the last one).
  let problem: { detail: string; line: number; column: number } | undefined;
  const report = (detail: string, line: number, character: number) => {
    problem ??= { detail, line: line + 1, column: character + 1 };
  };
  const open: (Set<string> | null)[] = []; // keys seen per open object; null for an array
  visitJson(
    text,
    {
      onObjectBegin: () => void open.push(new Set()),
      onObjectEnd: () => void open.pop(),
      onArrayBegin: () => void open.push(null),
      onArrayEnd: () => void open.pop(),
      onObjectProperty: (key, _offset, _length, line, character) => {
        const keys = open.at(-1);
        if (keys?.has(key)) report(`duplicate key ${JSON.stringify(key)}`, line, character);
        keys?.add(key);
      },
      onError: (code, offset, length, line, character) => {
        const name = printParseErrorCode(code);
        if (name === "InvalidCharacter") {
          // Point at the control character itself, not at the start of its string.
          for (let i = offset; i < offset + length; i++) {
            if (text.charCodeAt(i) < 0x20) {
              character += i - offset;
              break;
            }
          }
        }
        report(jsonErrorDetail(name, text, offset, length, open.at(-1) !== null), line, character);
      },
    },
    JSON_OPTIONS,
  );
  if (problem) throw syntaxError(problem.detail, file, problem.line, problem.column, "json");
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    // Only if the two parsers disagree; keep the engine's words and offset.
    const offset = Number(/position (\d+)/.exec(String(error))?.[1] ?? 0);
    const { line, column } = lineColumn(text, offset);
    throw syntaxError((error as Error).message, file, line, column, "json", error);
  }
  let tree: JsonNode | undefined;
  const locate = (path: readonly PathSegment[]) => {
    tree ??= parseTree(text, undefined, JSON_OPTIONS);
    let line: number | undefined;
    for (let depth = 0; tree && depth <= path.length; depth++) {
      const node = findNodeAtLocation(tree, path.slice(0, depth) as JSONPath);
      if (!node) break;
      // For an object member, the key's line reads better than the value's.
      const offset = node.parent?.type === "property" ? node.parent.offset : node.offset;
      line = lineColumn(text, offset).line;
    }
    return line;
  };
  return { data, format: "json", file, locate };
}

function jsonErrorDetail(
  name: string,
  text: string,
  offset: number,
  length: number,
  inObject: boolean,
): string {
  const next = text[offset];
  const afterComma = /,[ \t\r\n]*$/.test(text.slice(0, offset)) && (next === "}" || next === "]");
  const atEnd = offset >= text.length;
  switch (name) {
    case "CommaExpected":
      return `expected ',' or '${inObject ? "}" : "]"}' after a value`;
    case "PropertyNameExpected":
      return afterComma ? "trailing comma before '}'" : "expected a property name in double quotes";
    case "ValueExpected":
      if (afterComma) return `trailing comma before '${next}'`;
      return atEnd ? "unexpected end of input, expected a value" : "expected a value";
    case "ColonExpected":
      return "expected ':' after a property name";
    case "CloseBraceExpected":
      return atEnd ? "unexpected end of input, expected '}'" : "expected '}'";
    case "CloseBracketExpected":
      return atEnd ? "unexpected end of input, expected ']'" : "expected ']'";
    case "EndOfFileExpected":
      return "unexpected content after the value";
    case "InvalidSymbol":
      return `unexpected ${JSON.stringify(text.slice(offset, offset + Math.min(Math.max(length, 1), 20)))}`;
    case "InvalidCommentToken":
    case "UnexpectedEndOfComment":
      return "comments are not allowed in JSON";
    case "UnexpectedEndOfString":
      return "unterminated string";
    case "UnexpectedEndOfNumber":
    case "InvalidNumberFormat":
      return "invalid number";
    case "InvalidUnicode":
      return "invalid \\u escape in a string";
    case "InvalidEscapeCharacter":
      return "invalid escape sequence in a string";
    case "InvalidCharacter":
      return "unescaped control character in a string";
    default:
      return name;
  }
}

/**
 * YAML 1.2 core schema, not PyYAML's 1.1: `1e-5` is a number, `yes`/`no`/`on` are strings.
 * `resolveKnownTags: false` keeps `!!binary`, `!!set`, `!!timestamp` from becoming objects;
 * duplicate keys are checked by {@link checkYamlKeys} on the keys as JS sees them.
 */
const YAML_READ = {
  version: "1.2",
  schema: "core",
  resolveKnownTags: false,
  uniqueKeys: false,
  logLevel: "error",
} as const;

/**
 * Writing: quote every string the 1.1 schema would read as something else too (`"yes"`,
 * `"0777"`), so PyYAML reads our files the same; never alias repeated objects; never fold
 * lines.
 */
/**
 * PyYAML (YAML 1.1) reads a number as a float only with a dot and a signed exponent: `1e-7`
 * and `1e+21` would be strings there. Write them as `1.0e-7` and `1.0e+21`, which YAML 1.2
 * reads as the same numbers.
 */
function pyYamlSafeNumber(tag: ScalarTag): ScalarTag {
  return {
    ...tag,
    stringify(item, ctx, onComment, onChompKeep) {
      const text = tag.stringify!(item, ctx, onComment, onChompKeep);
      return /^-?\d+e[-+]\d+$/.test(text) ? text.replace("e", ".0e") : text;
    },
  };
}

const YAML_WRITE = {
  version: "1.2",
  schema: "core",
  customTags: (tags: Tags) =>
    tags.map((t) =>
      typeof t === "object" &&
      "stringify" in t &&
      (t.tag === "tag:yaml.org,2002:float" || t.tag === "tag:yaml.org,2002:int") &&
      !("format" in t && t.format)
        ? pyYamlSafeNumber(t as ScalarTag)
        : t,
    ),
  compat: "yaml-1.1",
  aliasDuplicateObjects: false,
  lineWidth: 0,
  minContentWidth: 0,
} as const;

function parseYaml(text: string, file: string): ParsedText {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { ...YAML_READ, lineCounter });
  // Warnings (an unresolved tag such as `!!python/tuple`) would otherwise change the value.
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    const { line, col } = problem.linePos?.[0] ?? lineCounter.linePos(problem.pos[0]);
    throw syntaxError(yamlErrorDetail(problem), file, line, col, "yaml", problem);
  }
  const root = doc.contents;
  if (
    root === null ||
    (isScalar(root) && root.type === "PLAIN" && root.source === "" && !root.tag)
  ) {
    throw syntaxError("empty file", file, 1, 1, "yaml");
  }
  const bad = checkYamlKeys(doc);
  if (bad) {
    const { line, col } = lineCounter.linePos(bad.offset);
    throw syntaxError(bad.detail, file, line, col, "yaml");
  }
  let value: unknown;
  try {
    // Maps keep key values as they are, so `fromParsed` stringifies them the way the checks did.
    value = doc.toJS({ mapAsMap: true, maxAliasCount: 100 });
  } catch (error) {
    throw syntaxError((error as Error).message, file, 1, 1, "yaml", error);
  }
  const locate = (path: readonly PathSegment[]) => {
    let node: unknown = doc.contents;
    let offset = isNode(node) ? node.range?.[0] : undefined;
    for (const segment of path) {
      if (isAlias(node)) node = node.resolve(doc);
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => isScalar(p.key) && String(p.key.value) === String(segment),
        );
        if (!pair || !isScalar(pair.key)) break;
        // For a mapping entry, the key's line (a nested block map starts on the next one).
        offset = pair.key.range?.[0] ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === "number" && isNode(node.items[segment])) {
        node = node.items[segment];
        offset = (node as { range?: [number, number, number] }).range?.[0] ?? offset;
      } else break;
    }
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  };
  return { data: fromParsed(value, [], file, "yaml", locate), format: "yaml", file, locate };
}

function yamlErrorDetail(error: YAMLError): string {
  const message = error.message.replace(/ at line \d+, column \d+:[\s\S]*$/, "");
  switch (error.code) {
    case "MULTIPLE_DOCS":
      return "more than one document (a file holds one)";
    case "TAG_RESOLVE_FAILED": {
      const tag = /Unresolved tag: (\S+)/.exec(message)?.[1]?.replace("tag:yaml.org,2002:", "!!");
      return `unsupported tag ${tag ?? ""}`.trim();
    }
    default:
      return message.charAt(0).toLowerCase() + message.slice(1);
  }
}

/** The first key JS cannot hold faithfully (non-scalar, or a repeat once stringified), or alias to nothing. */
function checkYamlKeys(doc: Document): { offset: number; detail: string } | undefined {
  const problems: { offset: number; detail: string }[] = [];
  visitYaml(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = pair.key;
        const offset = isNode(key) ? (key.range?.[0] ?? 0) : (map.range?.[0] ?? 0);
        if (!isScalar(key)) {
          problems.push({ offset, detail: "keys must be strings, numbers or booleans" });
          continue;
        }
        // `1` and `"1"` are different YAML keys but the same JS key.
        const name = String(key.value);
        if (seen.has(name))
          problems.push({ offset, detail: `duplicate key ${JSON.stringify(name)}` });
        seen.add(name);
      }
    },
    Alias(_, alias) {
      if (!alias.resolve(doc)) {
        problems.push({ offset: alias.range?.[0] ?? 0, detail: `unknown alias *${alias.source}` });
      }
    },
  });
  return problems.sort((a, b) => a.offset - b.offset)[0];
}

function parseTomlText(text: string, file: string): ParsedText {
  let table: unknown;
  try {
    // "asNeeded" turns an unsafe integer into a bigint, so the error can name its path.
    table = parseToml(text, { integersAsBigInt: "asNeeded" });
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    throw syntaxError(tomlErrorDetail(error, text), file, error.line, error.column, "toml", error);
  }
  const locate = tomlLocator(text);
  return { data: fromParsed(table, [], file, "toml", locate), format: "toml", file, locate };
}

/** Splits a TOML key (`a."b.c".d`) into its parts. */
function tomlKeyParts(key: string): string[] | undefined {
  const parts: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(\.|$)/y;
  let m: RegExpExecArray | null = re.exec(key);
  while (m !== null) {
    parts.push(m[1] !== undefined ? (JSON.parse(`"${m[1]}"`) as string) : (m[2] ?? m[3]!));
    if (m[4] === "" || re.lastIndex >= key.length) break;
    m = re.exec(key);
  }
  return parts.length > 0 ? parts : undefined;
}

const MULTILINE_QUOTES = /"""|'''/g;

/**
 * Lines of TOML keys and tables, found by reading the text line by line (smol-toml keeps no
 * positions): `[table]`, `[[array.of.tables]]` (counted), and `key = …` lines. Values inside
 * inline tables or multi-line arrays resolve to their key's line.
 */
function tomlLocator(text: string): ParsedText["locate"] {
  const lines = new Map<string, number>();
  const arrayCounts = new Map<string, number>();
  let table: PathSegment[] = [];
  let inMultiline = false;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    // Skip the bodies of multi-line strings.
    const quotes = (line.match(MULTILINE_QUOTES) ?? []).length;
    if (inMultiline) {
      if (quotes % 2 === 1) inMultiline = false;
      return;
    }
    if (quotes % 2 === 1) inMultiline = true;
    let m = /^\[\[(.+)\]\]\s*(#.*)?$/.exec(line);
    if (m) {
      const keys = tomlKeyParts(m[1]!) ?? [];
      const at = JSON.stringify(keys);
      const index = arrayCounts.get(at) ?? 0;
      arrayCounts.set(at, index + 1);
      table = [...keys, index];
      if (!lines.has(at)) lines.set(at, i + 1);
      lines.set(JSON.stringify(table), i + 1);
      return;
    }
    m = /^\[(.+)\]\s*(#.*)?$/.exec(line);
    if (m) {
      table = tomlKeyParts(m[1]!) ?? [];
      lines.set(JSON.stringify(table), i + 1);
      return;
    }
    m = /^((?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_.\s-])+?)\s*=/.exec(line);
    if (m) {
      const keys = tomlKeyParts(m[1]!);
      if (keys) lines.set(JSON.stringify([...table, ...keys]), i + 1);
    }
  });
  return (path) => {
    for (let n = path.length; n >= 0; n--) {
      const line = lines.get(JSON.stringify(path.slice(0, n)));
      if (line !== undefined) return line;
    }
    return undefined;
  };
}

function tomlErrorDetail(error: TomlError, text: string): string {
  const message = error.message.replace(/^Invalid TOML document: /, "").split("\n")[0];
  if (!message.includes("already defined")) return message;
  // smol-toml does not say which key; it points at it.
  const line = text.split(/\r?\n/)[error.line - 1] ?? "";
  const key = /^\s*([^\s=\]][^=\]]*?)\s*[=\]]/.exec(line.slice(error.column - 1))?.[1];
  if (key === undefined) return "key defined twice";
  return `duplicate key ${/^["']/.test(key) ? key : JSON.stringify(key)}`;
}

/**
 * Copies a parser's output into plain data: Maps and null-prototype objects become ordinary
 * objects, TOML's `__null__` lists become null keys; anything not JSON-like is an error.
 */
function fromParsed(
  value: unknown,
  path: PathSegment[],
  file: string,
  format: DataFormat,
  locate: ParsedText["locate"],
): unknown {
  const fail = (detail: string, code: string, at = path): never => {
    const error = new SpaxError(detail, { code, path: at });
    const line = locate(at);
    error.message = `${file}${line === undefined ? "" : `:${line}`}: ${error.message}`;
    throw error;
  };
  const recurse = (item: unknown, segment: PathSegment) =>
    fromParsed(item, [...path, segment], file, format, locate);
  if (value === null || ["string", "number", "boolean"].includes(typeof value)) return value;
  if (typeof value === "bigint") {
    return fail(`integer ${value} is beyond the safe range ±(2^53 - 1)`, "unsafe_integer");
  }
  if (Array.isArray(value)) return value.map((item, index) => recurse(item, index));
  if (value instanceof Date) {
    return fail(
      `${format.toUpperCase()} dates and times are not supported; quote the value to keep it as a string`,
      "unsupported_value",
    );
  }
  const entries: [string, unknown][] | undefined =
    value instanceof Map
      ? [...value].map(([k, v]) => [String(k), v])
      : isPlainObject(value)
        ? Object.entries(value)
        : undefined;
  if (!entries) return fail(`unsupported value ${formatValue(value)}`, "unsupported_value");
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries) {
    if (format === "toml" && key === NULL_KEY) {
      // Restore the null keys where the list stands (see stringifyData).
      const at = [...path, key];
      if (!Array.isArray(item) || !item.every((name) => typeof name === "string")) {
        fail("must be a list of key names (TOML's stand-in for null)", "invalid_null_list", at);
      }
      for (const name of item as string[]) {
        if (Object.hasOwn(out, name) || entries.some(([k]) => k === name)) {
          fail(`lists ${JSON.stringify(name)}, which already has a value`, "invalid_null_list", at);
        }
        define(out, name, null);
      }
      continue;
    }
    define(out, key, recurse(item, key));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Writing

/** Validates and copies data for a writer: -0 → 0, TOML nulls → `__null__`. */
function exportValue(
  value: unknown,
  path: PathSegment[],
  format: DataFormat,
  active: Set<object>,
): unknown {
  const fail = (detail: string, code = "not_serializable", at = path): never => {
    throw new SpaxError(detail, { code, path: at });
  };
  switch (typeof value) {
    case "string":
      // smol-toml would swap a lone surrogate for U+FFFD; JSON and YAML escape it.
      if (format === "toml" && LONE_SURROGATE.test(value)) {
        fail("TOML cannot hold a string with a lone surrogate (not valid Unicode text)");
      }
      return value;
    case "boolean":
      return value;
    case "number":
      if (!Number.isFinite(value)) fail(`cannot write ${value}: not a finite number`);
      return value === 0 ? 0 : value; // also turns -0 into 0
    case "object":
      break;
    case "undefined":
      return fail("cannot write undefined");
    default:
      return fail(`cannot write ${formatValue(value)} (a ${typeof value})`);
  }
  if (value === null) return null;
  if (active.has(value)) fail("cannot write a circular reference");
  active.add(value);
  try {
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (let index = 0; index < value.length; index++) {
        const item: unknown = value[index];
        if (item === null && format === "toml") {
          fail("TOML cannot hold null inside an array", "toml_null_in_array", [...path, index]);
        }
        out.push(exportValue(item, [...path, index], format, active));
      }
      return out;
    }
    if (!isPlainObject(value)) {
      return fail(
        `cannot write ${formatValue(value)}: only plain objects, arrays and JSON scalars`,
      );
    }
    const out: Record<string, unknown> = {};
    let nulls: string[] | undefined;
    for (const [key, item] of Object.entries(value)) {
      if (format === "toml") {
        if (LONE_SURROGATE.test(key)) {
          fail("TOML cannot hold a key with a lone surrogate", "not_serializable", [...path, key]);
        }
        if (key === NULL_KEY) {
          fail(`"${NULL_KEY}" is reserved in TOML for null keys`, "toml_reserved_key", [
            ...path,
            key,
          ]);
        }
        if (item === null) {
          // The list sits where the first null key was, so reading can put them back there.
          if (!nulls) {
            nulls = [];
            define(out, NULL_KEY, nulls);
          }
          nulls.push(key);
          continue;
        }
      }
      define(out, key, exportValue(item, [...path, key], format, active));
    }
    return out;
  } finally {
    active.delete(value);
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

const LONE_SURROGATE = /\p{Surrogate}/u;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Sets an own property; plain assignment of `__proto__` would change the prototype instead. */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lines = before.split(/\r\n|\r|\n/);
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

function syntaxError(
  detail: string,
  file: string,
  line: number,
  column: number,
  format: DataFormat,
  cause?: unknown,
): SpaxSyntaxError {
  return new SpaxSyntaxError(detail, { file, line, column, format: format.toUpperCase(), cause });
}

/** The error for a file whose format is unknown or cannot be told from its name. */
export function unknownFormat(format: unknown, file: string): SpaxError {
  const what =
    format === undefined
      ? `cannot tell the format of ${file}`
      : `unknown format ${formatValue(format)} for ${file}`;
  return new SpaxError(`${what}: expected a .json, .yaml, .yml or .toml file`, {
    code: "unknown_format",
  });
}
