/**
 * Configs to and from JSON, YAML and TOML in SpaX's file format: nested configs carry
 * `"__type__": "<ConfigName>"` (last), so a choice among configs loads back to the same
 * config. Dumping validates first, so only valid configs are ever written.
 * @module
 */
import { SpaxValidationError } from "../errors.js";
import { type DataFormat, parseText, stringifyData } from "../io/text.js";
import type { ConfigSpace } from "./config.js";
import { type AnySpace, unreachable } from "./space.js";
import { validateConfig } from "./validate.js";
import { isPlainObject } from "./values.js";

type AnyConfig = ConfigSpace<string, any, unknown>;
type Values = Record<string, unknown>;

/** Writes `value` (validated against `config`) as text. */
export function dumpConfig(config: AnyConfig, value: unknown, format: DataFormat): string {
  const result = validateConfig(config, value);
  if (!result.success) throw new SpaxValidationError(result.issues, config.name);
  return stringifyData(configForm(config, result.data as Values), format);
}

/** Reads text written by {@link dumpConfig} (or SpaX) and validates it. */
export function loadConfig(
  config: AnyConfig,
  text: string,
  format: DataFormat,
  file?: string,
): unknown {
  const parsed = parseText(text, format, { file });
  const result = validateConfig(config, parsed.data);
  if (result.success) return result.data;
  const where = (path: (string | number)[]) => {
    const line = parsed.locate(path);
    return line === undefined ? parsed.file : `${parsed.file}:${line}`;
  };
  throw new SpaxValidationError(
    result.issues.map((i) => ({ ...i, message: `${i.message} (${where(i.path)})` })),
    `${config.name} in ${parsed.file}`,
  );
}

/** The file form of a config value: every nested config gets `__type__`, written last. */
function configForm(config: AnyConfig, value: Values): Values {
  const out: Values = {};
  for (const f of config.fields) out[f.name] = fieldForm(f.space, value[f.name], value);
  if (value.__type__ !== undefined) out.__type__ = value.__type__;
  return out;
}

function fieldForm(space: AnySpace, v: unknown, values: Values): unknown {
  switch (space.kind) {
    case "config": {
      const out = configForm(space, v as Values);
      out.__type__ = space.name;
      return out;
    }
    case "categorical": {
      if (!space.hasConfigs || !isPlainObject(v) || typeof v.__type__ !== "string") return v;
      const i = space.configIndexOf(v.__type__);
      return i < 0 ? v : configForm(space.entries[i]!.config!, v);
    }
    case "conditional": {
      const branch = space.condition.evaluate(values) ? space.ifTrue : space.ifFalse;
      return branch.kind === "config"
        ? configForm(branch, v as Values)
        : fieldForm(branch, v, values);
    }
    case "float":
    case "int":
    case "fixed":
      return v;
    default:
      return unreachable(space);
  }
}
