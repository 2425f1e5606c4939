/**
 * Every config of a finite space, each exactly once: fields vary in SpaX's field order (the
 * last one fastest), only the active branch of each conditional is enumerated, and `refine`
 * constraints filter. Lazy, so a large grid can be consumed as a stream.
 * @module
 */
import { type PathSegment, SpaxDefinitionError } from "../errors.js";
import type { ConfigSpace } from "../space/config.js";
import { type AnySpace, unreachable } from "../space/space.js";
import { failedConstraints, inDeclarationOrder } from "../space/validate.js";

type AnyConfig = ConfigSpace<string, any, unknown>;
type Values = Record<string, unknown>;

/**
 * The grid of `config`.
 * @throws SpaxDefinitionError (before anything is yielded) naming a continuous float field.
 */
export function enumerateGrid(config: AnyConfig): Generator<Values, void, undefined> {
  assertFinite(config, [config.name]);
  return configGrid(config, false);
}

function assertFinite(space: AnySpace, path: PathSegment[]): void {
  switch (space.kind) {
    case "float":
      if (space.step === undefined) {
        throw new SpaxDefinitionError(
          "grid() needs a finite space, but this is a continuous float; give it a step, or override it with a list of values",
          { path, code: "infinite_grid" },
        );
      }
      return;
    case "categorical":
      for (const e of space.entries) if (e.config) assertFinite(e.config, [...path, e.config.name]);
      return;
    case "conditional":
      assertFinite(space.ifTrue, [...path, "true"]);
      assertFinite(space.ifFalse, [...path, "false"]);
      return;
    case "config":
      for (const f of space.fields) assertFinite(f.space, [...path, f.name]);
      return;
    case "int":
    case "fixed":
      return;
    default:
      unreachable(space);
  }
}

function* configGrid(config: AnyConfig, tagged: boolean): Generator<Values, void, undefined> {
  const values: Values = {};
  const order = config.order;
  function* fill(j: number): Generator<Values, void, undefined> {
    if (j === order.length) {
      const out = inDeclarationOrder(config, values);
      if (config.constraints.length > 0 && failedConstraints(config, out).length > 0) return;
      if (tagged) out.__type__ = config.name;
      yield out;
      return;
    }
    const f = config.fields[order[j]!]!;
    for (const v of spaceGrid(f.space, values)) {
      values[f.name] = v;
      yield* fill(j + 1);
    }
  }
  yield* fill(0);
}

function* spaceGrid(space: AnySpace, values: Values): Generator<unknown, void, undefined> {
  switch (space.kind) {
    case "float":
      for (let k = space.firstIndex; k <= space.lastIndex; k++) yield space.gridValue(k);
      return;
    case "int":
      if (space.step !== undefined) {
        for (let k = space.firstIndex; k <= space.lastIndex; k++) yield space.gridValue(k);
      } else {
        for (let v = space.min; v <= space.max; v++) yield v;
      }
      return;
    case "categorical":
      for (const e of space.entries) {
        if (e.config) yield* configGrid(e.config, true);
        else yield e.value;
      }
      return;
    case "conditional": {
      const branch = space.condition.evaluate(values) ? space.ifTrue : space.ifFalse;
      if (branch.kind === "config") yield* configGrid(branch, true);
      else yield* spaceGrid(branch, values);
      return;
    }
    case "config":
      yield* configGrid(space, false);
      return;
    case "fixed":
      yield space.value;
      return;
    default:
      unreachable(space);
  }
}
