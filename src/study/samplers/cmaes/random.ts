/**
 * Gaussian draws for CMA-ES (and NSGA-II's SBX), on top of the seeded generators of
 * `trialRandom(seed, trialNumber, stream)`.
 * @module
 */
import type { PyRandom } from "../../../sample/mt19937.js";

/** Standard normal draws by the Box–Muller transform (two per pair of uniforms). */
export class Gaussian {
  private spare = Number.NaN;

  constructor(readonly rng: PyRandom) {}

  /** One N(0, 1) draw. */
  next(): number {
    if (!Number.isNaN(this.spare)) {
      const z = this.spare;
      this.spare = Number.NaN;
      return z;
    }
    // 1 - random() lies in (0, 1], so the logarithm is finite.
    const r = Math.sqrt(-2 * Math.log(1 - this.rng.random()));
    const theta = 2 * Math.PI * this.rng.random();
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }
}
