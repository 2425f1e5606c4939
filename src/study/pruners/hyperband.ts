/**
 * Optuna's `HyperbandPruner`: several Successive Halving brackets, trials spread over them.
 * @module
 */
import { formatValue, SpaxError } from "../../errors.js";
import type { FrozenTrial, TrialState } from "../frozen-trial.js";
import type { Pruner, StudyView } from "../sampler.js";
import {
  _checkInt,
  _checkOptions,
  _crc32,
  _fail,
  _lastStep,
  _log,
  INVALID_PRUNER_ARGUMENT,
} from "./_internal.js";
import { SuccessiveHalvingPruner } from "./successive-halving.js";

/** Options of {@link HyperbandPruner}, with Optuna's defaults. */
export interface HyperbandPrunerOptions {
  /**
   * The minimum resource `r` (in steps) of a trial: the first rung of bracket 0 ends there.
   * An integer >= 1.
   * @default 1
   */
  minResource?: number;
  /**
   * The maximum resource `R` (in steps), an integer >= `minResource`, or `"auto"`: the largest
   * last step + 1 of the first completed trials, fixed once known; no trial is pruned before
   * then.
   * @default "auto"
   */
  maxResource?: number | "auto";
  /**
   * `η` of every bracket's Successive Halving. >= 2.
   * @default 3
   */
  reductionFactor?: number;
  /**
   * Every bracket's `bootstrapCount` (see {@link SuccessiveHalvingPruner}). Needs a numeric
   * `maxResource`. >= 0.
   * @default 0
   */
  bootstrapCount?: number;
  /**
   * Hash `"<studyName>_<trial number>"` to choose a trial's bracket, exactly as Optuna does for
   * a study of that name, so a spax study and an Optuna study with the same name put each
   * trial in the same bracket. Without it, the hash is of the trial number alone.
   */
  studyName?: string;
}

/**
 * Hyperband, as Optuna 3.1 implements it: `n = floor(log_η(maxResource / minResource)) + 1`
 * brackets, bracket `b` a {@link SuccessiveHalvingPruner} with `minEarlyStoppingRate = b` that
 * only sees the trials of its own bracket. Bracket `b` gets a share
 * `ceil(n * η ** (n - 1 - b) / (n - b))` of the trials (more trials in the aggressive brackets).
 *
 * A trial's bracket is a deterministic function of its number: the CRC-32 of the UTF-8 string
 * `String(number)` (or `"<studyName>_<number>"` with the `studyName` option — Optuna's key)
 * modulo the total share, walked through the brackets' shares in order. It does not depend on
 * the process or on other trials, so resumed and parallel runs agree.
 *
 * The pruner is stateful like Optuna's: an `"auto"` maximum resource is estimated once and then
 * kept, so use one pruner per study.
 *
 * @param options `minResource` (default 1), `maxResource` (`"auto"`), `reductionFactor` (3),
 *   `bootstrapCount` (0), `studyName` (none).
 * @throws SpaxError (`invalid_pruner_argument`) for a `minResource` below 1, a `maxResource`
 *   that is neither `"auto"` nor an integer >= `minResource`, a `reductionFactor` below 2, a
 *   negative `bootstrapCount`, a non-integer, `bootstrapCount > 0` with `maxResource: "auto"`,
 *   or a `studyName` that is not a string.
 * @example
 * const study = await sp.createStudy({
 *   direction: "maximize",
 *   pruner: new sp.HyperbandPruner({ minResource: 1, maxResource: 100, reductionFactor: 3 }),
 * });
 */
export class HyperbandPruner implements Pruner {
  readonly minResource: number;
  readonly reductionFactor: number;
  readonly bootstrapCount: number;
  readonly studyName: string | undefined;
  #maxResource: number | "auto";
  #nBrackets: number | undefined;
  #pruners: SuccessiveHalvingPruner[] = [];
  #budgets: number[] = [];
  #totalBudget = 0;
  /** Brackets already computed (they never change once the brackets exist). */
  #bracketOf = new Map<number, number>();

  constructor(options?: HyperbandPrunerOptions) {
    const name = "HyperbandPruner";
    const o = _checkOptions(name, options);
    this.minResource = _checkInt(name, "minResource", o.minResource ?? 1, 1);
    const maxResource = o.maxResource ?? "auto";
    if (maxResource !== "auto") _checkInt(name, "maxResource", maxResource, this.minResource);
    this.reductionFactor = _checkInt(name, "reductionFactor", o.reductionFactor ?? 3, 2);
    this.bootstrapCount = _checkInt(name, "bootstrapCount", o.bootstrapCount ?? 0, 0);
    if (this.bootstrapCount > 0 && maxResource === "auto") {
      throw new SpaxError(
        `${name}: bootstrapCount > 0 needs a numeric maxResource, got bootstrapCount ${formatValue(this.bootstrapCount)} with maxResource "auto"`,
        { code: INVALID_PRUNER_ARGUMENT },
      );
    }
    if (o.studyName !== undefined && typeof o.studyName !== "string") {
      _fail(name, "studyName", "a string", o.studyName);
    }
    this.studyName = o.studyName;
    this.#maxResource = maxResource;
    // With a known maximum resource nothing depends on the study: set the brackets up now.
    if (maxResource !== "auto") this.#setUpBrackets(maxResource);
  }

  /**
   * The maximum resource in use: the configured one, or the estimate once an `"auto"` one was
   * made (`undefined` before that).
   * @example
   * new sp.HyperbandPruner({ maxResource: 81 }).maxResource; // 81
   */
  get maxResource(): number | undefined {
    return this.#maxResource === "auto" ? undefined : this.#maxResource;
  }

  /**
   * The number of brackets, once the maximum resource is known (else `undefined`). Zero or
   * less when an `"auto"` maximum came out below `minResource`: then nothing is pruned.
   * @example
   * new sp.HyperbandPruner({ minResource: 1, maxResource: 81 }).nBrackets; // 5
   */
  get nBrackets(): number | undefined {
    return this.#nBrackets;
  }

  /**
   * Each bracket's share of the trials (see the class notes); empty before the brackets exist.
   * @example
   * new sp.HyperbandPruner({ minResource: 1, maxResource: 9 }).trialAllocationBudgets; // [9, 5, 3]
   */
  get trialAllocationBudgets(): readonly number[] {
    return this.#budgets;
  }

  /**
   * The bracket of the trial with number `trialNumber` (0 before the brackets exist, as in
   * Optuna).
   * @example
   * new sp.HyperbandPruner({ maxResource: 27 }).getBracketId(7); // the same on every run
   */
  getBracketId(trialNumber: number): number {
    if (this.#pruners.length === 0) return 0;
    const known = this.#bracketOf.get(trialNumber);
    if (known !== undefined) return known;
    const key =
      this.studyName === undefined ? String(trialNumber) : `${this.studyName}_${trialNumber}`;
    let n = _crc32(key) % this.#totalBudget;
    for (let b = 0; b < this.#budgets.length; b++) {
      n -= this.#budgets[b]!;
      if (n < 0) {
        this.#bracketOf.set(trialNumber, b);
        return b;
      }
    }
    /* c8 ignore next */
    throw new Error("unreachable: bracket budgets do not cover the hash");
  }

  /**
   * Asks the Successive Halving of `trial`'s bracket, over the trials of that bracket.
   * @example
   * if (pruner.prune(study, trial)) throw new sp.TrialPruned();
   */
  prune(study: StudyView, trial: FrozenTrial): boolean {
    if (this.#pruners.length === 0) {
      if (this.#maxResource === "auto") {
        let last: number | undefined;
        for (const t of study.getTrials(["COMPLETE"])) {
          const s = _lastStep(t);
          if (s !== undefined && (last === undefined || s > last)) last = s;
        }
        if (last === undefined) return false;
        this.#maxResource = last + 1;
        this.#setUpBrackets(this.#maxResource);
      }
      if (this.#pruners.length === 0) return false;
    }
    const bracket = this.getBracketId(trial.number);
    return this.#pruners[bracket]!.prune(this.#bracketView(study, bracket), trial);
  }

  #setUpBrackets(maxResource: number): void {
    const eta = this.reductionFactor;
    // Optuna's float formula: math.log(x, base) is log(x) / log(base) with a (nearly) correctly
    // rounded libm log, so 243 / 1 with η = 3 gives 4.999… and 5 brackets, not 6. `_log` is
    // correctly rounded (V8's Math.log is not, and gives 6 there).
    const n = Math.floor(_log(maxResource / this.minResource) / _log(eta)) + 1;
    this.#nBrackets = n;
    for (let b = 0; b < n; b++) {
      const s = n - 1 - b;
      const budget = Math.ceil((n * eta ** s) / (s + 1));
      this.#budgets.push(budget);
      this.#totalBudget += budget;
      this.#pruners.push(
        new SuccessiveHalvingPruner({
          minResource: this.minResource,
          reductionFactor: eta,
          minEarlyStoppingRate: b,
          bootstrapCount: this.bootstrapCount,
        }),
      );
    }
  }

  /** The study as bracket `bracket` sees it: only its own trials. */
  #bracketView(study: StudyView, bracket: number): StudyView {
    const pruner = this;
    return {
      get directions() {
        return study.directions;
      },
      get space() {
        return study.space;
      },
      getTrials(states?: readonly TrialState[]) {
        return study.getTrials(states).filter((t) => pruner.getBracketId(t.number) === bracket);
      },
      setTrialSystemAttr(trialId, key, value) {
        study.setTrialSystemAttr(trialId, key, value);
      },
      stop() {
        study.stop();
      },
    };
  }
}
