/**
 * Override files: YAML, JSON or TOML documents that narrow a space between experiments
 * without a code change. Errors name the file, and the line of the offending entry where the
 * format keeps positions (JSON, YAML).
 * @module
 */
import { formatValue, SpaxError, SpaxOverrideError } from "../errors.js";
import { OverrideSource } from "../space/override.js";
import { isPlainObject, optionsObject } from "../space/values.js";
import { parseFile } from "./files.js";
import { type DataFormat, parseText } from "./text.js";

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
  return toSource(parseFile(path, o.format as DataFormat | undefined));
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
  return toSource(
    parseText(text, format, optionsObject(options, "parseOverride") as { file?: string }),
  );
}
