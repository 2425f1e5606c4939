/**
 * Every config of a finite space, each exactly once: fields vary in SpaX's field order (the
 * last one fastest), only the active branch of each conditional is enumerated, and `refine`
 * constraints filter. Lazy, so a large grid can be consumed as a stream.
 * @module
 */
import { type PathSegment, SpaxDefinitionError } from "../errors.js";
import type { ConfigSpace } from "../space/config.js";
import type { FieldPlan } from "../space/plan.js";
import { unreachable } from "../space/space.js";
import { failedConstraints } from "../space/validate.js";

type AnyConfig = ConfigSpace<string, any, unknown>;
type Values = Record<string, unknown>;

/**
 * The grid of `config`. A continuous float that can actually be reached is an error (thrown
 * when the enumeration reaches it); one in a branch that is never active is fine.
 */
export function enumerateGrid(config: AnyConfig): Generator<Values, void, undefined> {
  return configGrid(config, false, [config.name]);
}

function* configGrid(
  config: AnyConfig,
  tagged: boolean,
  path: PathSegment[],
): Generator<Values, void, undefined> {
  const slots = new Array<unknown>(config.fields.length);
  const order = config.order;
  function* fill(j: number): Generator<Values, void, undefined> {
    if (j === order.length) {
      const out = config.build(slots, tagged);
      if (config.constraints.length > 0 && failedConstraints(config, out).length > 0) return;
      yield out;
      return;
    }
    const i = order[j]!;
    for (const v of planGrid(config.plans[i]!, slots, [...path, config.fields[i]!.name])) {
      slots[i] = v;
      yield* fill(j + 1);
    }
  }
  yield* fill(0);
}

function* planGrid(
  plan: FieldPlan,
  slots: unknown[],
  path: PathSegment[],
): Generator<unknown, void, undefined> {
  const space = plan.space;
  switch (space.kind) {
    case "float":
      if (space.step === undefined) {
        throw new SpaxDefinitionError(
          "grid() needs a finite space, but this is a continuous float; give it a step, or override it with a list of values",
          { path, code: "infinite_grid" },
        );
      }
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
        if (e.config) yield* configGrid(e.config, true, [...path, e.config.name]);
        else yield e.value;
      }
      return;
    case "conditional": {
      const outcome = plan.test!(slots);
      const branch = outcome ? plan.ifTrue! : plan.ifFalse!;
      const at = [...path, String(outcome)];
      if (branch.space.kind === "config") yield* configGrid(branch.space, true, at);
      else yield* planGrid(branch, slots, at);
      return;
    }
    case "config":
      yield* configGrid(space, false, path);
      return;
    case "fixed":
      yield space.value;
      return;
    default:
      unreachable(space);
  }
}
