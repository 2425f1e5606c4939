/**
 * Reading data files from disk. Kept apart from `text.ts` so that the format layer (and the
 * space layer that uses it) never imports `node:fs`.
 * @module
 */
import { readFileSync } from "node:fs";
import { SpaxError } from "../errors.js";
import {
  type DataFormat,
  formatFromPath,
  type ParsedText,
  parseText,
  unknownFormat,
} from "./text.js";

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads a UTF-8 text file (a BOM is dropped).
 * @throws SpaxError code `file_not_found` when the file does not exist, `file_unreadable` when
 *   it is a directory, not permitted, or not valid UTF-8; the message names the file.
 * @example
 * const text = readTextFile("configs/override.yaml");
 */
export function readTextFile(path: string): string {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw new SpaxError(`file not found: ${path}`, { code: "file_not_found", cause: error });
    }
    const why =
      code === "EISDIR"
        ? "it is a directory"
        : code === "EACCES" || code === "EPERM"
          ? "permission denied"
          : (error as Error).message;
    throw new SpaxError(`cannot read ${path}: ${why}`, { code: "file_unreadable", cause: error });
  }
  try {
    return UTF8.decode(bytes);
  } catch (error) {
    // Decoding leniently would swap bad bytes for U+FFFD and silently change the config.
    throw new SpaxError(`cannot read ${path}: not valid UTF-8 text`, {
      code: "file_unreadable",
      cause: error,
    });
  }
}

/**
 * Reads and parses a file; the format comes from `format` or else the file's extension.
 * @throws SpaxError code `unknown_format` when no format is given and the extension is not
 *   `.json`, `.yaml`, `.yml` or `.toml`; and whatever {@link readTextFile} and
 *   {@link parseText} throw, with `file` set to `path`.
 * @example
 * const { data, locate } = parseFile("override.toml");
 */
export function parseFile(path: string, format?: DataFormat): ParsedText {
  const chosen = format ?? formatFromPath(path);
  if (chosen === undefined) throw unknownFormat(undefined, path);
  return parseText(readTextFile(path), chosen, { file: path });
}
