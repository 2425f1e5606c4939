/**
 * Seeded random configs, bit-compatible with SpaX's `RandomSampler` (CPython's
 * `random.Random`): the same draws in the same order give the same configs on every platform.
 *
 * Draws per space (SpaX): int → `randint(min, max)` (exclusive bounds moved by 1); log int →
 * `round(exp(uniform(ln min, ln max)))` half-to-even; float → `lo + (hi - lo)·random()`; log
 * float → `exp(uniform(ln lo, ln hi))`; categorical → `random.choices` with SpaX's cumulative
 * probabilities. Not copied: SpaX's ±1e-10 shift for exclusive float bounds (a redraw keeps
 * the bound out instead) and its draw for one-choice categoricals inside branches.
 * @module
 */
import { SpaxSamplingError } from "../errors.js";
import type { CategoricalSpace } from "../space/categorical.js";
import type { ConfigSpace } from "../space/config.js";
import type { NumberSpace } from "../space/number.js";
import type { FieldPlan } from "../space/plan.js";
import { unreachable } from "../space/space.js";
import { failedConstraints } from "../space/validate.js";
import { nextDown, nextUp } from "../space/values.js";
import { type PyRandom, roundHalfEven } from "./mt19937.js";

type AnyConfig = ConfigSpace<string, any, unknown>;
type Values = Record<string, unknown>;

/** One random config of `config`, drawn from `rng`. */
export function sampleRandom(config: AnyConfig, rng: PyRandom, maxTries: number): Values {
  return sampleConfig(config, rng, maxTries, false);
}

function sampleConfig(config: AnyConfig, rng: PyRandom, maxTries: number, tagged: boolean): Values {
  const plans = config.plans;
  const order = config.order;
  for (let attempt = 1; ; attempt++) {
    const slots = new Array<unknown>(plans.length);
    for (let j = 0; j < order.length; j++) {
      const i = order[j]!;
      slots[i] = samplePlan(plans[i]!, rng, slots, maxTries);
    }
    const out = config.build(slots, tagged);
    if (config.constraints.length === 0) return out;
    const broken = failedConstraints(config, out);
    if (broken.length === 0) return out;
    if (attempt >= maxTries) throw unsatisfiable(config, broken, maxTries);
  }
}

/** The error for a `refine` constraint that no draw meets. */
export function unsatisfiable(
  config: AnyConfig,
  broken: string[],
  tries: number,
): SpaxSamplingError {
  return new SpaxSamplingError(
    `no config met the constraint "${broken[0]}" in ${tries} draws; the constraint may be unsatisfiable, or too rare for rejection sampling (narrow the space or raise maxTries)`,
    { path: [config.name], code: "constraint_unsatisfiable" },
  );
}

function samplePlan(plan: FieldPlan, rng: PyRandom, slots: unknown[], maxTries: number): unknown {
  const space = plan.space;
  switch (space.kind) {
    case "float":
      return sampleFloat(space, rng);
    case "int":
      return sampleInt(space, rng);
    case "categorical":
      return sampleCategorical(space, rng, maxTries);
    case "conditional": {
      const branch = plan.test!(slots) ? plan.ifTrue! : plan.ifFalse!;
      // A config reached through a branch is one of two alternatives: it carries __type__.
      return branch.space.kind === "config"
        ? sampleConfig(branch.space, rng, maxTries, true)
        : samplePlan(branch, rng, slots, maxTries);
    }
    case "config":
      return sampleConfig(space, rng, maxTries, false);
    case "fixed":
      return space.value;
    default:
      return unreachable(space);
  }
}
function sampleFloat(space: NumberSpace, rng: PyRandom): number {
  if (space.step !== undefined) {
    return space.gridValue(
      space.firstIndex + rng.randbelow(space.lastIndex - space.firstIndex + 1),
    );
  }
  const { low, high } = space;
  for (let attempt = 1; ; attempt++) {
    let x: number;
    const r = rng.random();
    if (space.log) {
      const a = space.logLow;
      x = Math.exp(a + (space.logHigh - a) * r);
    } else {
      x = low + (high - low) * r;
      // A range wider than the largest double overflows: interpolate on halves instead.
      if (!Number.isFinite(x)) x = 2 * (low / 2 + (high / 2 - low / 2) * r);
    }
    // exp/log and rounding may land an ulp outside; clamp so every sample validates.
    if (x < low) x = low;
    else if (x > high) x = high;
    if (x === low && !space.lowInclusive) {
      if (attempt < 64) continue;
      x = nextUp(low); // the definition guarantees a double strictly inside
    } else if (x === high && !space.highInclusive) {
      if (attempt < 64) continue;
      x = nextDown(high);
    }
    return x === 0 ? 0 : x;
  }
}

function sampleInt(space: NumberSpace, rng: PyRandom): number {
  if (space.step !== undefined) {
    return space.gridValue(
      space.firstIndex + rng.randbelow(space.lastIndex - space.firstIndex + 1),
    );
  }
  const { min, max } = space;
  if (space.log) {
    const a = space.logLow;
    const n = roundHalfEven(Math.exp(a + (space.logHigh - a) * rng.random()));
    return Math.min(Math.max(n, min), max);
  }
  const width = max - min + 1;
  if (width < 2 ** 53) return min + rng.randbelow(width);
  // Wider than 2^53 values (possible with safe-integer bounds of opposite signs): exact in
  // bigint, as CPython's randint is for any int.
  const n = BigInt(max) - BigInt(min) + 1n;
  const bits = n.toString(2).length;
  let r = rng.getrandbitsBig(bits);
  while (r >= n) r = rng.getrandbitsBig(bits);
  return Number(BigInt(min) + r);
}

function sampleCategorical(space: CategoricalSpace, rng: PyRandom, maxTries: number): unknown {
  const entries = space.entries;
  const entry = entries.length === 1 ? entries[0]! : entries[rng.weightedIndex(space.cumulative)]!;
  return entry.config ? sampleConfig(entry.config, rng, maxTries, true) : entry.value;
}
