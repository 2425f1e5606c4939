/**
 * Crossover operators of the NSGA-II sampler. They work on the parents' numeric parameters in
 * the continuous search space (log parameters in log space, discrete ones widened by half a
 * step and rounded afterwards); categorical parameters always use uniform crossover.
 * @module
 */
import { formatValue, SpaxError } from "../../../errors.js";
import type { PyRandom } from "../../../sample/mt19937.js";

/** What a crossover knows of the study it serves. */
export interface CrossoverContext {
  /** Whether the study has more than one objective. */
  readonly multiObjective: boolean;
}

/**
 * A crossover: makes one child from `nParents` parents. The child may leave the bounds; the
 * sampler then draws new parents and tries again.
 */
export interface Crossover {
  readonly nParents: number;
  /**
   * @param parents one coordinate vector per parent (continuous space)
   * @param bounds the lower and upper bound of each coordinate
   */
  crossover(
    parents: readonly Float64Array[],
    rng: PyRandom,
    bounds: readonly (readonly [number, number])[],
    context: CrossoverContext,
  ): Float64Array;
}

function checkProbability(name: string, p: number): void {
  if (!(typeof p === "number" && p >= 0 && p <= 1)) {
    throw new SpaxError(`${name} must be a number in [0, 1], got ${formatValue(p)}`, {
      code: "invalid_option",
    });
  }
}

/**
 * Uniform crossover (Syswerda, 1989): each coordinate from one of the two parents, the first
 * with probability `swappingProb` (Optuna's convention; the default 0.5 makes it symmetric).
 */
export class UniformCrossover implements Crossover {
  readonly nParents = 2;

  constructor(readonly swappingProb = 0.5) {
    checkProbability("UniformCrossover: swappingProb", swappingProb);
  }

  crossover(parents: readonly Float64Array[], rng: PyRandom): Float64Array {
    const [p0, p1] = parents as [Float64Array, Float64Array];
    return p0.map((x, i) => (rng.random() >= this.swappingProb ? p1[i]! : x));
  }
}

/**
 * Simulated binary crossover (Deb & Agrawal, 1995), bounded form, as Optuna's `SBXCrossover`:
 * per coordinate, one of two SBX children or one of the parents, with equal chances.
 */
export class SBXCrossover implements Crossover {
  readonly nParents = 2;
  /** Distribution index; default 20 for multi-objective studies, else 2. */
  readonly eta: number | undefined;

  constructor(options: { eta?: number } = {}) {
    const { eta } = options;
    if (eta !== undefined && !(typeof eta === "number" && eta >= 0 && Number.isFinite(eta))) {
      throw new SpaxError(
        `SBXCrossover: eta must be a non-negative number, got ${formatValue(eta)}`,
        {
          code: "invalid_option",
        },
      );
    }
    this.eta = eta;
  }

  crossover(
    parents: readonly Float64Array[],
    rng: PyRandom,
    bounds: readonly (readonly [number, number])[],
    context: CrossoverContext,
  ): Float64Array {
    const eta = this.eta ?? (context.multiObjective ? 20 : 2);
    const [p0, p1] = parents as [Float64Array, Float64Array];
    const n = p0.length;
    const c1 = new Float64Array(n);
    const c2 = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const [lo, hi] = bounds[i]!;
      const xMin = Math.min(p0[i]!, p1[i]!);
      const xMax = Math.max(p0[i]!, p1[i]!);
      const diff = Math.max(xMax - xMin, 1e-10);
      const u = rng.random();
      const betaQ = (beta: number) => {
        const alpha = 2 - beta ** -(eta + 1);
        return u > 1 / alpha
          ? (1 / (2 - u * alpha)) ** (1 / (eta + 1))
          : (u * alpha) ** (1 / (eta + 1));
      };
      c1[i] = 0.5 * (xMin + xMax - betaQ(1 + (2 * (xMin - lo)) / diff) * diff);
      c2[i] = 0.5 * (xMin + xMax + betaQ(1 + (2 * (hi - xMax)) / diff) * diff);
    }
    const child = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (rng.random() < 0.5) child[i] = rng.random() < 0.5 ? c1[i]! : c2[i]!;
      else child[i] = rng.random() < 0.5 ? p0[i]! : p1[i]!;
    }
    return child;
  }
}
