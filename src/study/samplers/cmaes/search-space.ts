/**
 * Search-space helpers shared by the CMA-ES and NSGA-II samplers: Optuna's intersection search
 * space, and the map between numeric parameters and the continuous space the algorithms work in
 * (Optuna's `_SearchSpaceTransform` for float and int parameters).
 * @module
 */
import { jsonEquals } from "../../../space/values.js";
import type { Distribution, FloatDistribution, IntDistribution } from "../../distributions.js";
import type { FrozenTrial } from "../../frozen-trial.js";
import type { StudyView } from "../../sampler.js";

/** A float or int distribution. */
export type NumericDistribution = FloatDistribution | IntDistribution;

/** Whether two distributions are the same (kind, bounds, `log`, `step`, choices). */
export function distributionsEqual(a: Distribution, b: Distribution): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind) return false;
  if (a.kind === "categorical") {
    const bc = (b as typeof a).choices;
    return a.choices.length === bc.length && a.choices.every((c, i) => jsonEquals(c, bc[i]));
  }
  const bn = b as NumericDistribution;
  return a.low === bn.low && a.high === bn.high && a.log === bn.log && a.step === bn.step;
}

/**
 * Optuna's intersection search space: the parameters every COMPLETE trial has, with the same
 * distribution in each (a parameter whose range changed between trials drops out). Keys are
 * sorted by name, so the order does not depend on the order parameters were suggested in.
 */
export function intersectionSearchSpace(
  trials: readonly FrozenTrial[],
): Record<string, Distribution> {
  const acc: Intersection = { space: undefined };
  for (const t of trials) if (t.state === "COMPLETE") intersect(acc, t);
  return sortedSpace(acc);
}

interface Intersection {
  space: Map<string, Distribution> | undefined;
}

function intersect(acc: Intersection, t: FrozenTrial): void {
  if (acc.space === undefined) {
    acc.space = new Map(Object.entries(t.distributions));
    return;
  }
  for (const [name, d] of acc.space) {
    const other = t.distributions[name];
    if (other === undefined || !distributionsEqual(d, other)) acc.space.delete(name);
  }
}

function sortedSpace(acc: Intersection): Record<string, Distribution> {
  const out: Record<string, Distribution> = {};
  if (acc.space === undefined) return out;
  for (const name of [...acc.space.keys()].sort()) out[name] = acc.space.get(name)!;
  return out;
}

/**
 * Folds each COMPLETE trial of a study into an accumulator exactly once, incrementally: a
 * cursor skips the prefix of finished trials (finished trials never change), so a call costs
 * time in the number of trials at or after the oldest unfinished one. One accumulator per
 * `StudyView` object; it starts over when the study's first trial is not the one it saw.
 * Assumes `getTrials()` lists trials by number without gaps, as the `StudyView` contract says.
 */
export class CompletedTrialFold<S> {
  private readonly states = new WeakMap<
    StudyView,
    { firstId: number | undefined; cursor: number; seen: Set<number>; acc: S }
  >();

  constructor(
    private readonly init: () => S,
    private readonly add: (acc: S, trial: FrozenTrial) => void,
  ) {}

  /** The accumulator over every COMPLETE trial of `study` so far. */
  get(study: StudyView): S {
    const trials = study.getTrials();
    let st = this.states.get(study);
    if (
      st === undefined ||
      trials.length < st.cursor ||
      (st.firstId !== undefined && trials[0]?.trialId !== st.firstId)
    ) {
      st = { firstId: undefined, cursor: 0, seen: new Set(), acc: this.init() };
      this.states.set(study, st);
    }
    st.firstId ??= trials[0]?.trialId;
    for (let i = st.cursor; i < trials.length; i++) {
      const t = trials[i]!;
      if (t.state === "COMPLETE" && !st.seen.has(t.number)) {
        st.seen.add(t.number);
        this.add(st.acc, t);
      }
    }
    for (;;) {
      const t = trials[st.cursor];
      if (
        t === undefined ||
        !(t.state === "COMPLETE" || t.state === "FAIL" || t.state === "PRUNED")
      )
        break;
      st.seen.delete(t.number);
      st.cursor++;
    }
    return st.acc;
  }
}

/** {@link intersectionSearchSpace}, kept up to date incrementally per study. */
export class IntersectionSearchSpace {
  private readonly fold = new CompletedTrialFold<Intersection>(
    () => ({ space: undefined }),
    intersect,
  );

  calculate(study: StudyView): Record<string, Distribution> {
    return sortedSpace(this.fold.get(study));
  }
}

/**
 * The continuous interval a numeric parameter is searched in: log parameters in log space;
 * discrete ones (ints, stepped floats) widened by half a step on each side, so that rounding
 * gives the end points their fair share (Optuna's `transform_step`).
 */
export function continuousBounds(d: NumericDistribution): [number, number] {
  if (d.kind === "float") {
    if (d.log) return [Math.log(d.low), Math.log(d.high)];
    const half = d.step === undefined ? 0 : d.step / 2;
    return [d.low - half, d.high + half];
  }
  const half = d.step / 2;
  if (d.log) return [Math.log(d.low - half), Math.log(d.high + half)];
  return [d.low - half, d.high + half];
}

/** A parameter value in the continuous space (the logarithm for log parameters). */
export function toContinuous(d: NumericDistribution, value: number): number {
  return d.log ? Math.log(value) : value;
}

/**
 * The parameter value for a point of the continuous space: exponentiated for log parameters,
 * rounded onto the grid for ints and stepped floats, and clipped into `[low, high]`.
 */
export function fromContinuous(d: NumericDistribution, x: number): number {
  const clip = (v: number) => Math.min(d.high, Math.max(d.low, v));
  if (d.kind === "float") {
    if (d.log) return clip(Math.exp(x));
    if (d.step === undefined) return clip(x);
    const n = Math.round((d.high - d.low) / d.step);
    const k = Math.min(n, Math.max(0, Math.round((x - d.low) / d.step)));
    return k === n ? d.high : clip(d.low + k * d.step);
  }
  if (d.log) return clip(Math.round(Math.exp(x)));
  const n = (d.high - d.low) / d.step;
  const k = Math.min(n, Math.max(0, Math.round((x - d.low) / d.step)));
  return d.low + k * d.step;
}

/** Whether `d` is a float or int distribution. */
export function isNumeric(d: Distribution): d is NumericDistribution {
  return d.kind === "float" || d.kind === "int";
}
