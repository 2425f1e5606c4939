/**
 * Multi-objective pieces of TPE (Optuna 3.1's MOTPE): non-domination ranks, exact hypervolume
 * (WFG; a sweep in 2-D), the greedy hypervolume subset selection that breaks ties in the last
 * rank of the "below" group, and the hypervolume-contribution weights of "below" points.
 * Points are loss vectors (minimized), given as arrays.
 * @module
 */

/** Whether a dominates b (≤ everywhere, < somewhere). */
function dominates(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  let strictly = false;
  for (let j = 0; j < a.length; j++) {
    if (a[j]! > b[j]!) return false;
    if (a[j]! < b[j]!) strictly = true;
  }
  return strictly;
}

/** Non-domination rank of each point: 0 for the Pareto front, 1 for the next front, … */
export function nondominationRanks(points: readonly (readonly number[])[]): Int32Array {
  const n = points.length;
  const ranks = new Int32Array(n).fill(-1);
  let left = n;
  for (let rank = 0; left > 0; rank++) {
    const front: number[] = [];
    for (let i = 0; i < n; i++) {
      if (ranks[i] !== -1) continue;
      let dominated = false;
      for (let j = 0; j < n && !dominated; j++) {
        if (j !== i && ranks[j] === -1 && dominates(points[j]!, points[i]!)) dominated = true;
      }
      if (!dominated) front.push(i);
    }
    for (const i of front) ranks[i] = rank;
    left -= front.length;
  }
  return ranks;
}

function boxVolume(p: readonly number[], ref: readonly number[]): number {
  let v = 1;
  for (let j = 0; j < p.length; j++) v *= Math.abs(ref[j]! - p[j]!);
  return v;
}

function hv2d(points: readonly (readonly number[])[], ref: readonly number[]): number {
  const sorted = [...points].sort((a, b) => a[0]! - b[0]! || b[1]! - a[1]!);
  let hv = 0;
  let y = ref[1]!;
  for (const p of sorted) {
    if (y < p[1]!) continue;
    hv += Math.abs((ref[0]! - p[0]!) * (y - p[1]!));
    y = p[1]!;
  }
  return hv;
}

/** The points of max(s, p) for s in `set` that no other limited point dominates (WFG's limit). */
function limit(point: readonly number[], set: readonly (readonly number[])[]): number[][] {
  const limited = set.map((s) => s.map((v, j) => Math.max(v, point[j]!)));
  if (limited.length <= 1) return limited;
  const out = [limited[0]!];
  let left = 0;
  for (let right = 1; right < limited.length; right++) {
    if (limited[left]!.some((v, j) => v > limited[right]![j]!)) {
      left = right;
      out.push(limited[left]!);
    }
  }
  return out;
}

/**
 * The hypervolume dominated by `points` and bounded by `ref` (every point ≤ ref), exactly:
 * WFG's recursion in general, a sweep in 2-D.
 */
export function hypervolume(
  points: readonly (readonly number[])[],
  ref: readonly number[],
): number {
  if (points.length === 0) return 0;
  if (ref.length === 2) return hv2d(points, ref);
  if (points.length === 1) return boxVolume(points[0]!, ref);
  if (points.length === 2) {
    const [a, b] = points as [readonly number[], readonly number[]];
    let inter = 1;
    for (let j = 0; j < ref.length; j++) inter *= ref[j]! - Math.max(a[j]!, b[j]!);
    return boxVolume(a, ref) + boxVolume(b, ref) - inter;
  }
  const sorted = [...points].sort((a, b) => a[0]! - b[0]!);
  let volume = 0;
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i]!;
    let v = boxVolume(p, ref);
    const rest = limit(p, sorted.slice(i + 1));
    if (rest.length === 1) v -= boxVolume(rest[0]!, ref);
    else if (rest.length > 1) v -= hypervolume(rest, ref);
    volume += v;
  }
  return volume;
}

/** Optuna's reference point for a set of losses: max(1.1·worst, 0.9·worst), zeros → 1e-12. */
export function referencePoint(points: readonly (readonly number[])[]): number[] {
  const m = points[0]!.length;
  const ref: number[] = [];
  for (let j = 0; j < m; j++) {
    let worst = Number.NEGATIVE_INFINITY;
    for (const p of points) worst = Math.max(worst, p[j]!);
    const r = Math.max(1.1 * worst, 0.9 * worst);
    ref.push(r === 0 ? 1e-12 : r);
  }
  return ref;
}

/**
 * Greedy hypervolume subset selection (a 1 − 1/e approximation): `size` of `points`, each
 * step taking the point that adds the most hypervolume. Returns positions in `points`.
 */
export function solveHssp(
  points: readonly (readonly number[])[],
  size: number,
  ref: readonly number[],
): number[] {
  const contributions = points.map((p) => boxVolume(p, ref));
  const selected: number[] = [];
  const chosen: (readonly number[])[] = [];
  let hvSelected = 0;
  while (selected.length < size) {
    let best = -1;
    for (let i = 0; i < points.length; i++) {
      if (contributions[i]! === -1) continue;
      if (best < 0 || contributions[i]! > contributions[best]!) best = i;
    }
    if (best < 0) break;
    contributions[best] = -1;
    const vec = points[best]!;
    for (let j = 0; j < points.length; j++) {
      if (contributions[j]! === -1) continue;
      const p = vec.map((v, k) => Math.max(v, points[j]![k]!));
      contributions[j] = contributions[j]! - (hypervolume([...chosen, p], ref) - hvSelected);
    }
    chosen.push(vec);
    selected.push(best);
    hvSelected = hypervolume(chosen, ref);
  }
  return selected;
}

/**
 * Weights of "below" points from their hypervolume contributions (Optuna 3.1's MOTPE):
 * contribution + 1e-12, divided by the largest, clipped to [0, 1].
 */
export function hypervolumeWeights(points: readonly (readonly number[])[]): Float64Array {
  const n = points.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  if (n === 1) {
    out[0] = 1;
    return out;
  }
  const ref = referencePoint(points);
  const total = hypervolume(points, ref);
  let max = 0;
  for (let i = 0; i < n; i++) {
    const others = points.filter((_, j) => j !== i);
    out[i] = total - hypervolume(others, ref) + 1e-12;
    max = Math.max(max, out[i]!);
  }
  for (let i = 0; i < n; i++) out[i] = Math.min(Math.max(out[i]! / max, 0), 1);
  return out;
}
