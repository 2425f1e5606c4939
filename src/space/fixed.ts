/**
 * A fixed value: what a plain value in a config (or a conditional branch) becomes. It adds no
 * parameter, draws nothing, and a config must hold exactly this value there.
 * @module
 */
import type { PathSegment } from "../errors.js";
import { Space } from "./space.js";
import { freezeJson, type JsonValue } from "./values.js";

/** A single JSON-like value. Plain values in configs and branches become fixed spaces. */
export class FixedSpace<T extends JsonValue = JsonValue> extends Space<T> {
  readonly kind = "fixed" as const;
  readonly description: string | undefined = undefined;
  /** The value, deep-frozen so no sampled config can mutate it for the others. */
  readonly value: T;
  constructor(value: unknown, path: readonly PathSegment[] = []) {
    super();
    this.value = freezeJson(value, path, "a fixed value") as T;
  }
}
