/**
 * Splitting finished trials into TPE's "below" (good) and "above" groups, as Optuna 3.1 does:
 *
 * - one objective: rows ranked by `(step key, loss)` — COMPLETE trials first by value, then
 *   PRUNED trials by deepest reported step and last value (a NaN value last), then pruned trials
 *   without reports; the best `gamma(n)` are "below";
 * - with constraints: feasible trials first; when no more than `gamma(n)` are feasible, "below"
 *   is every feasible trial (in trial order) plus the least-violating infeasible ones;
 * - several objectives: by non-domination rank, the last rank cut by greedy hypervolume subset
 *   selection; "below" weights are hypervolume contributions.
 *
 * RUNNING trials (constant liar) are never scored: they join "above" where estimators are built.
 * @module
 */
import { checkedGamma } from "./defaults.js";
import { type Column, type History, ROW_SCORED } from "./history.js";
import { hypervolumeWeights, nondominationRanks, referencePoint, solveHssp } from "./mo.js";

/** Row flag: not a member of the split. */
export const OUT = 0;
/** Row flag: in the "below" group. */
export const BELOW = 1;
/** Row flag: in the "above" group. */
export const ABOVE = 2;

/** A split of some rows of a history. */
export interface Split {
  /** Per row: {@link OUT}, {@link BELOW} or {@link ABOVE}. */
  readonly flags: Uint8Array;
  readonly nBelow: number;
  readonly nAbove: number;
  /** Multi-objective only: per row, the weight of a "below" row. */
  readonly belowWeights: Float64Array | undefined;
}

/** Whether `row` has a value in every column of `columns`. */
export function hasAll(columns: readonly Column[], row: number): boolean {
  for (let i = 0; i < columns.length; i++) if (Number.isNaN(columns[i]!.values[row]!)) return false;
  return true;
}

/**
 * Splits the scored rows that have every column in `members` (all scored rows when `members`
 * is empty): the best `gamma(m)` of the m member rows are "below".
 */
export function splitRows(
  history: History,
  members: readonly Column[],
  gamma: (n: number) => number,
  flags: Uint8Array,
): Split {
  flags.fill(OUT, 0, history.rows);
  const order = history.keyOrder;
  const n = history.nScored;
  const all = members.length === 0;
  let m = 0;
  let feasible = 0;
  for (let i = 0; i < n; i++) {
    const r = order[i]!;
    if (all || hasAll(members, r)) {
      m++;
      if (history.constraints && history.violation[r] === 0) feasible++;
    }
  }
  const g = checkedGamma(gamma, m);
  if (history.multiObjective) return splitMultiObjective(history, members, g, flags);
  let taken = 0;
  if (history.constraints && feasible <= g) {
    // Optuna: below = the first g rows by (violation, trial number).
    const vo = history.violationOrder;
    for (let i = 0; i < n; i++) {
      const r = vo[i]!;
      if (!all && !hasAll(members, r)) continue;
      flags[r] = taken < g ? BELOW : ABOVE;
      taken++;
    }
  } else {
    const constrained = history.constraints;
    for (let i = 0; i < n; i++) {
      const r = order[i]!;
      if (!all && !hasAll(members, r)) continue;
      if (taken < g && (!constrained || history.violation[r] === 0)) {
        flags[r] = BELOW;
        taken++;
      } else {
        flags[r] = ABOVE;
      }
    }
  }
  return { flags, nBelow: g, nAbove: m - g, belowWeights: undefined };
}

function splitMultiObjective(
  history: History,
  members: readonly Column[],
  g: number,
  flags: Uint8Array,
): Split {
  const nObj = history.losses.length / history.capacity;
  const rows: number[] = [];
  for (let r = 0; r < history.rows; r++) {
    if (history.state[r] === ROW_SCORED && (members.length === 0 || hasAll(members, r)))
      rows.push(r);
  }
  const points = rows.map((r) => Array.from(history.losses.subarray(r * nObj, (r + 1) * nObj)));
  const below = new Set<number>();
  if (history.constraints) {
    // Feasible first, as for one objective: infeasible rows by violation fill what is left.
    const feasible = rows.map((_, i) => i).filter((i) => history.violation[rows[i]!] === 0);
    if (feasible.length <= g) {
      const byViolation = rows
        .map((_, i) => i)
        .sort((a, b) => history.violation[rows[a]!]! - history.violation[rows[b]!]! || a - b);
      for (let k = 0; k < g; k++) below.add(byViolation[k]!);
    } else {
      for (const i of selectByRank(
        feasible.map((i) => points[i]!),
        g,
      ))
        below.add(feasible[i]!);
    }
  } else {
    for (const i of selectByRank(points, g)) below.add(i);
  }
  const belowWeights = new Float64Array(history.capacity);
  const belowIdx = [...below].sort((a, b) => a - b);
  const feasibleBelow = belowIdx.filter(
    (i) => !history.constraints || history.violation[rows[i]!] === 0,
  );
  const w = hypervolumeWeights(feasibleBelow.map((i) => points[i]!));
  for (const i of belowIdx) belowWeights[rows[i]!] = 1e-12;
  feasibleBelow.forEach((i, k) => {
    // An infinite loss makes hypervolumes infinite: such a weight falls back to the minimum.
    belowWeights[rows[i]!] = w[k]! > 0 && Number.isFinite(w[k]!) ? w[k]! : 1e-12;
  });
  rows.forEach((r, i) => {
    flags[r] = below.has(i) ? BELOW : ABOVE;
  });
  return { flags, nBelow: below.size, nAbove: rows.length - below.size, belowWeights };
}

/** Positions of the `g` points chosen by non-domination rank, the last rank by HSSP. */
function selectByRank(points: readonly (readonly number[])[], g: number): number[] {
  const ranks = nondominationRanks(points);
  const out: number[] = [];
  for (let rank = 0; out.length < g; rank++) {
    const level: number[] = [];
    for (let i = 0; i < points.length; i++) if (ranks[i] === rank) level.push(i);
    if (level.length === 0) break;
    if (out.length + level.length <= g) {
      out.push(...level);
      continue;
    }
    const levelPoints = level.map((i) => points[i]!);
    const chosen = solveHssp(levelPoints, g - out.length, referencePoint(levelPoints));
    for (const k of chosen) out.push(level[k]!);
  }
  return out;
}
