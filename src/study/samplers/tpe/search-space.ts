/**
 * Optuna's search spaces for multivariate TPE on define-by-run studies, kept incrementally as
 * trials are scored: the intersection of finished trials' spaces (`IntersectionSearchSpace`
 * with pruned trials) and its group decomposition (`_GroupDecomposedSearchSpace`). Both are
 * independent of the order trials are seen in; names are reported sorted.
 * @module
 */
import { jsonEquals } from "../../../space/values.js";
import type { Distribution } from "../../distributions.js";
import type { FrozenTrial } from "../../frozen-trial.js";

/** Whether two distributions are equal (kind, bounds, log, step, choices). */
export function sameDistribution(a: Distribution, b: Distribution): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind) return false;
  if (a.kind === "categorical") {
    const bc = (b as typeof a).choices;
    return a.choices.length === bc.length && a.choices.every((c, i) => jsonEquals(c, bc[i]));
  }
  const n = b as typeof a;
  return a.low === n.low && a.high === n.high && a.log === n.log && a.step === n.step;
}

/** The parameters every scored trial has, with the same distribution in each. */
export class IntersectionSpace {
  private space: Map<string, Distribution> | undefined;

  add(trial: FrozenTrial): void {
    if (this.space === undefined) {
      this.space = new Map(Object.entries(trial.distributions));
      return;
    }
    for (const [name, d] of this.space) {
      const other = trial.distributions[name];
      if (other === undefined || !sameDistribution(d, other)) this.space.delete(name);
    }
  }

  /** The space, names sorted, single-valued distributions left out. */
  get(): Record<string, Distribution> {
    const out: Record<string, Distribution> = {};
    if (!this.space) return out;
    for (const name of [...this.space.keys()].sort()) {
      const d = this.space.get(name)!;
      if (!d.single()) out[name] = d;
    }
    return out;
  }
}

/**
 * Optuna's group decomposition: parameters are in one group when exactly the same scored trials
 * have them, so each trial's space is a union of groups.
 */
export class GroupedSpace {
  /** Groups as name lists; the distribution of each name as last seen. */
  private groups: string[][] = [];
  private readonly distributions = new Map<string, Distribution>();

  add(trial: FrozenTrial): void {
    const names = new Set(Object.keys(trial.distributions));
    const next: string[][] = [];
    for (const g of this.groups) {
      const inside = g.filter((n) => names.has(n));
      const outside = g.filter((n) => !names.has(n));
      if (inside.length > 0) next.push(inside);
      if (outside.length > 0) next.push(outside);
      for (const n of inside) names.delete(n);
    }
    if (names.size > 0) next.push([...names]);
    this.groups = next;
    for (const [name, d] of Object.entries(trial.distributions)) this.distributions.set(name, d);
  }

  /** The groups, each sorted by name and without single-valued distributions, ordered by first name. */
  get(): Record<string, Distribution>[] {
    const out: Record<string, Distribution>[] = [];
    for (const g of this.groups) {
      const names = g.filter((n) => !this.distributions.get(n)!.single()).sort();
      if (names.length === 0) continue;
      const sub: Record<string, Distribution> = {};
      for (const n of names) sub[n] = this.distributions.get(n)!;
      out.push(sub);
    }
    out.sort((a, b) => (Object.keys(a)[0]! < Object.keys(b)[0]! ? -1 : 1));
    return out;
  }
}
