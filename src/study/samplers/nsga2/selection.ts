/**
 * NSGA-II's selection machinery: Pareto dominance (plain and constrained), fast non-dominated
 * sorting and crowding distance (Deb et al., 2002), with Optuna's conventions for infinite
 * objective values.
 * @module
 */
import type { StudyDirection } from "../../frozen-trial.js";

/**
 * Whether `a` Pareto-dominates `b`: no worse in every objective and better in at least one
 * (objectives to maximize are compared negated).
 */
export function dominates(
  a: readonly number[],
  b: readonly number[],
  directions: readonly StudyDirection[],
): boolean {
  let better = false;
  for (let i = 0; i < directions.length; i++) {
    const sign = directions[i] === "maximize" ? -1 : 1;
    const x = sign * a[i]!;
    const y = sign * b[i]!;
    if (x > y) return false;
    if (x < y) better = true;
  }
  return better;
}

/** An individual for constrained domination: its objective values and constraint values. */
export interface Evaluated {
  readonly values: readonly number[];
  /** Constraint values (`<= 0` is satisfied); `undefined` when the trial has none. */
  readonly constraints?: readonly number[] | undefined;
}

/**
 * Deb's constrained domination, as Optuna's `_constrained_dominates`: a feasible individual
 * dominates an infeasible one; of two infeasible ones, the smaller total violation
 * (sum of positive constraint values) dominates; two feasible ones compare by
 * {@link dominates}. An individual without constraint values is dominated by one with them.
 */
export function constrainedDominates(
  a: Evaluated,
  b: Evaluated,
  directions: readonly StudyDirection[],
): boolean {
  const ca = a.constraints;
  const cb = b.constraints;
  if (ca === undefined && cb === undefined) return dominates(a.values, b.values, directions);
  if (cb === undefined) return true;
  if (ca === undefined) return false;
  const va = violation(ca);
  const vb = violation(cb);
  if (va === 0 && vb === 0) return dominates(a.values, b.values, directions);
  if (va === 0) return true;
  if (vb === 0) return false;
  return va < vb;
}

/** Total violation: the sum of the positive constraint values. */
export function violation(constraints: readonly number[]): number {
  let v = 0;
  for (const c of constraints) if (c > 0) v += c;
  return v;
}

/**
 * Fast non-dominated sorting: the indices of `items` in fronts (front 0 is non-dominated,
 * front 1 is non-dominated once front 0 is removed, …), each front in index order.
 */
export function nonDominatedSort<T>(
  items: readonly T[],
  dominatesFn: (a: T, b: T) => boolean,
): number[][] {
  const n = items.length;
  const dominatedBy = new Array<number>(n).fill(0);
  const dominatesList: number[][] = Array.from({ length: n }, () => []);
  for (let p = 0; p < n; p++) {
    for (let q = p + 1; q < n; q++) {
      if (dominatesFn(items[p]!, items[q]!)) {
        dominatesList[p]!.push(q);
        dominatedBy[q]!++;
      } else if (dominatesFn(items[q]!, items[p]!)) {
        dominatesList[q]!.push(p);
        dominatedBy[p]!++;
      }
    }
  }
  const fronts: number[][] = [];
  let front: number[] = [];
  for (let i = 0; i < n; i++) if (dominatedBy[i] === 0) front.push(i);
  while (front.length > 0) {
    fronts.push(front);
    const next: number[] = [];
    for (const p of front) {
      for (const q of dominatesList[p]!) if (--dominatedBy[q]! === 0) next.push(q);
    }
    front = next.sort((a, b) => a - b);
  }
  return fronts;
}

/**
 * Crowding distance of each point: over the objectives, the sum of the gap between its two
 * neighbours in that objective, divided by the objective's finite range. The extreme points
 * get an infinite distance. An objective where all points are equal adds nothing; an infinite
 * value's gap to an equal infinite neighbour counts as zero; a range that is zero or infinite
 * counts as 1 (Optuna's rules).
 */
export function crowdingDistance(points: readonly (readonly number[])[]): number[] {
  const n = points.length;
  const dist = new Array<number>(n).fill(0);
  if (n === 0) return dist;
  const m = points[0]!.length;
  for (let k = 0; k < m; k++) {
    const order = Array.from({ length: n }, (_, i) => i).sort(
      (i, j) => points[i]![k]! - points[j]![k]! || i - j,
    );
    const first = points[order[0]!]![k]!;
    const last = points[order[n - 1]!]![k]!;
    if (first === last) continue;
    const vs = [
      Number.NEGATIVE_INFINITY,
      ...order.map((i) => points[i]![k]!),
      Number.POSITIVE_INFINITY,
    ];
    const vMin = vs.find((v) => v !== Number.NEGATIVE_INFINITY)!;
    const vMax = [...vs].reverse().find((v) => v !== Number.POSITIVE_INFINITY)!;
    let width = vMax - vMin;
    if (!(width > 0) || !Number.isFinite(width)) width = 1;
    for (let j = 0; j < n; j++) {
      const gap = vs[j] === vs[j + 2] ? 0 : vs[j + 2]! - vs[j]!;
      dist[order[j]!] = dist[order[j]!]! + gap / width;
    }
  }
  return dist;
}
