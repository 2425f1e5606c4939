/**
 * Override files: YAML, JSON or TOML documents that narrow a space between experiments
 * without a code change. Errors name the file, and the line of the offending entry where the
 * format keeps positions (JSON, YAML).
 * @module
 */
import { formatValue, SpaxError, SpaxOverrideError } from "../errors.js";
import { OverrideSource } from "../space/override.js";
import { isPlainObject, optionsObject } from "../space/values.js";
import { readTextFile } from "./files.js";
import { type DataFormat, formatFromPath, parseText, unknownFormat } from "./text.js";

/**
 * An override file with nothing in it (blank, or only YAML comments and document markers)
 * narrows nothing: commenting every line out runs the base space.
 */
function isBlank(text: string): boolean {
  return text
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .every((line) => /^\s*(#.*)?$/.test(line) || /^(---|\.\.\.)\s*(#.*)?$/.test(line));
}

function parseOverrideText(
  text: string,
  format: DataFormat,
  file: string | undefined,
): OverrideSource {
  if (typeof text !== "string") {
    throw new SpaxError(`override text must be a string, got ${formatValue(text)}`, {
      code: "invalid_text",
    });
  }
  if (format !== "json" && isBlank(text)) return new OverrideSource({}, file);
  return toSource(parseText(text, format, file === undefined ? {} : { file }));
}

function toSource(parsed: ReturnType<typeof parseText>): OverrideSource {
  if (!isPlainObject(parsed.data)) {
    throw new SpaxOverrideError(
      `an override file holds an object of field overrides, got ${formatValue(parsed.data)}`,
      {
        file: parsed.file,
        line: 1,
        code: "invalid_override",
      },
    );
  }
  return new OverrideSource(parsed.data, parsed.file, parsed.locate);
}

/** Formats as users write them: `"yml"` is YAML. */
function normaliseFormat(format: unknown): DataFormat {
  if (format === "json" || format === "yaml" || format === "toml") return format;
  if (format === "yml") return "yaml";
  throw new SpaxError(`unknown format ${formatValue(format)}: expected "json", "yaml" or "toml"`, {
    code: "unknown_format",
  });
}

/**
 * Reads an override file (`.yaml`/`.yml`, `.json`, `.toml`, or `format` given). Pass the result
 * to `narrow()` or as `{ override }`; its errors then name the file and line.
 * @throws SpaxSyntaxError for malformed text (file, line, column); SpaxError for a missing file.
 * @example
 * const override = sp.loadOverride("experiments/next.yaml");
 * const Narrow = Training.narrow(override);
 */
export function loadOverride(path: string, options: { format?: DataFormat } = {}): OverrideSource {
  if (typeof path !== "string") {
    throw new SpaxError(`loadOverride needs a file path, got ${formatValue(path)}`, {
      code: "invalid_path",
    });
  }
  const o = optionsObject(options, "loadOverride");
  const format = o.format !== undefined ? normaliseFormat(o.format) : formatFromPath(path);
  if (format === undefined) throw unknownFormat(undefined, path);
  return parseOverrideText(readTextFile(path), format, path);
}

/**
 * Parses override text (as {@link loadOverride} does for files).
 * @example
 * const override = sp.parseOverride("learningRate: { ge: 1e-4, le: 1e-2 }\n", "yaml");
 */
export function parseOverride(
  text: string,
  format: DataFormat,
  options: { file?: string } = {},
): OverrideSource {
  const o = optionsObject(options, "parseOverride");
  if (o.file !== undefined && typeof o.file !== "string") {
    throw new SpaxError(`parseOverride: file must be a string, got ${formatValue(o.file)}`, {
      code: "invalid_options",
    });
  }
  return parseOverrideText(text, normaliseFormat(format), o.file as string | undefined);
}
