/**
 * TPE's incremental, columnar view of a study's finished trials. A trial is read once, when
 * it is first seen finished; afterwards a sample only touches typed arrays:
 *
 * - rows are trial numbers, so rows stay in trial order whatever order trials finish in, and
 *   a resumed study rebuilds exactly the same arrays;
 * - per parameter, a `Float64Array` of values in the model's space (log for log parameters,
 *   the choice index for categoricals; `NaN` where a trial lacks it) and the rows that have it
 *   sorted by value (so the Parzen bandwidths need no sort);
 * - per row, Optuna's ranking key `(step key, loss)` and the rows sorted by it, and the
 *   constraint violation and its order when constraints are used.
 * @module
 */
import type { Distribution } from "../../distributions.js";
import type { FrozenTrial, StudyDirection } from "../../frozen-trial.js";

/** Row states. */
export const ROW_NONE = 0;
/** A COMPLETE or PRUNED trial that takes part in the split. */
export const ROW_SCORED = 1;
/** A finished trial that does not take part (FAIL; COMPLETE without values; PRUNED in MO). */
export const ROW_IGNORED = 2;

/** The system attribute holding a trial's constraint values (Optuna's key). */
export const CONSTRAINTS_KEY = "constraints";

/** One parameter's column. */
export class Column {
  /** Values by row in the model's space; NaN where absent. */
  values: Float64Array;
  /** Rows with a value, ascending by (value, row). */
  sorted: Int32Array;
  count = 0;

  constructor(
    readonly name: string,
    /** The distribution of its first observation (kind, log and choices never change). */
    readonly distribution: Distribution,
    capacity: number,
  ) {
    this.values = new Float64Array(capacity).fill(Number.NaN);
    this.sorted = new Int32Array(Math.max(16, capacity >> 2));
  }

  grow(capacity: number): void {
    const next = new Float64Array(capacity).fill(Number.NaN);
    next.set(this.values);
    this.values = next;
  }

  /** Records `value` for `row` (a row is set once). */
  set(row: number, value: number): void {
    this.values[row] = value;
    if (this.count === this.sorted.length) {
      const next = new Int32Array(this.sorted.length * 2);
      next.set(this.sorted);
      this.sorted = next;
    }
    const values = this.values;
    const sorted = this.sorted;
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const r = sorted[mid]!;
      const v = values[r]!;
      if (v < value || (v === value && r < row)) lo = mid + 1;
      else hi = mid;
    }
    sorted.copyWithin(lo + 1, lo, this.count);
    sorted[lo] = row;
    this.count++;
  }
}

/** The value a parameter is modelled with: log for log-scaled numbers, the index for choices. */
export function modelValue(distribution: Distribution, value: unknown): number {
  if (distribution.kind === "categorical") return distribution.indexOf(value);
  const v = value as number;
  return distribution.log ? Math.log(v) : v;
}

/** Sum of positive constraint values (0 = feasible); +∞ when the trial has none. */
export function violationOf(trial: FrozenTrial): number {
  const c = trial.systemAttrs[CONSTRAINTS_KEY];
  if (!Array.isArray(c)) return Number.POSITIVE_INFINITY;
  let s = 0;
  for (const v of c) {
    if (typeof v !== "number" || Number.isNaN(v)) return Number.POSITIVE_INFINITY;
    if (v > 0) s += v;
  }
  return s;
}

/** Inserts `row` into `order[0..count)` sorted by `less`; returns the grown array. */
function insertSorted(
  order: Int32Array,
  count: number,
  row: number,
  less: (a: number, b: number) => boolean,
): Int32Array {
  if (count === order.length) {
    const next = new Int32Array(order.length * 2);
    next.set(order);
    order = next;
  }
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (less(order[mid]!, row)) lo = mid + 1;
    else hi = mid;
  }
  order.copyWithin(lo + 1, lo, count);
  order[lo] = row;
  return order;
}

/**
 * The finished trials of one study, by column. Feed it with {@link History.sync} before each
 * trial; it reads only trials it has not settled yet.
 */
export class History {
  capacity = 64;
  /** 1 + the largest row in use. */
  rows = 0;
  /** Scored rows (COMPLETE/PRUNED for one objective; COMPLETE for several). */
  nScored = 0;
  /** Bumped whenever a row is scored. */
  version = 0;
  state = new Uint8Array(64);
  /** Optuna's ranking key: −∞ for COMPLETE, −step for PRUNED, 1 for PRUNED without reports. */
  stepKey = new Float64Array(64);
  /** Loss (minimized): direction-signed first value; +∞ for a pruned trial's NaN report. */
  loss = new Float64Array(64);
  /** Losses of all objectives (multi-objective), rows × objectives. */
  losses: Float64Array;
  /** Constraint violation per row (when constraints are used). */
  violation = new Float64Array(64);
  /** Scored rows by (stepKey, loss, row). */
  keyOrder: Int32Array = new Int32Array(64);
  /** Scored rows by (violation, row); kept when constraints are used. */
  violationOrder: Int32Array = new Int32Array(64);
  readonly columns = new Map<string, Column>();
  /** Columns in creation order (for iteration without a Map iterator). */
  readonly columnList: Column[] = [];
  /** Listeners told of each scored trial (search-space trackers). */
  private readonly onScored: ((trial: FrozenTrial) => void)[] = [];
  /** Index in `getTrials()` from which unsettled trials may appear. */
  private scanFrom = 0;
  private readonly signs: number[];
  readonly multiObjective: boolean;

  constructor(
    directions: readonly StudyDirection[],
    readonly constraints: boolean,
  ) {
    this.signs = directions.map((d) => (d === "maximize" ? -1 : 1));
    this.multiObjective = directions.length > 1;
    this.losses = new Float64Array(64 * this.signs.length);
  }

  /** Calls `listener` for every trial as it is scored (also those scored already). */
  listen(listener: (trial: FrozenTrial) => void, trials: readonly FrozenTrial[]): void {
    this.onScored.push(listener);
    for (const t of trials)
      if (t.number < this.rows && this.state[t.number] === ROW_SCORED) listener(t);
  }

  private ensure(row: number): void {
    if (row < this.capacity) return;
    let cap = this.capacity;
    while (cap <= row) cap *= 2;
    const grow = <T extends Float64Array | Uint8Array>(a: T): T => {
      const next = new (a.constructor as new (n: number) => T)(cap * (a.length / this.capacity));
      next.set(a);
      return next;
    };
    this.state = grow(this.state);
    this.stepKey = grow(this.stepKey);
    this.loss = grow(this.loss);
    this.losses = grow(this.losses);
    this.violation = grow(this.violation);
    for (const c of this.columnList) c.grow(cap);
    this.capacity = cap;
  }

  /**
   * Reads trials that finished since the last call. `trials` is the study's list in number
   * order. Trials still RUNNING, except number `exclude`, are added to `running` (for the
   * constant liar).
   */
  sync(trials: readonly FrozenTrial[], exclude: number, running?: FrozenTrial[]): void {
    let i = this.scanFrom;
    let settledPrefix = true;
    for (; i < trials.length; i++) {
      const t = trials[i]!;
      const row = t.number;
      if (row < this.rows && this.state[row] !== ROW_NONE) {
        if (settledPrefix) this.scanFrom = i + 1;
        continue;
      }
      switch (t.state) {
        case "COMPLETE":
        case "PRUNED":
        case "FAIL":
          this.ingest(t);
          if (settledPrefix) this.scanFrom = i + 1;
          break;
        case "RUNNING":
          settledPrefix = false;
          if (running && t.number !== exclude) running.push(t);
          break;
        default:
          settledPrefix = false;
      }
    }
  }

  /** Scores one finished trial. */
  private ingest(t: FrozenTrial): void {
    const row = t.number;
    this.ensure(row);
    if (row >= this.rows) this.rows = row + 1;
    let key: number;
    let loss: number;
    const nObj = this.signs.length;
    if (t.state === "COMPLETE") {
      const values = t.values;
      if (values === undefined || values.length !== nObj) {
        this.state[row] = ROW_IGNORED;
        return;
      }
      key = Number.NEGATIVE_INFINITY;
      loss = this.signs[0]! * values[0]!;
      for (let j = 0; j < nObj; j++) this.losses[row * nObj + j] = this.signs[j]! * values[j]!;
    } else if (t.state === "PRUNED" && !this.multiObjective) {
      let step = -1;
      for (const s of t.intermediateValues.keys()) if (s > step) step = s;
      if (step < 0) {
        key = 1;
        loss = 0;
      } else {
        const v = t.intermediateValues.get(step)!;
        key = -step;
        loss = Number.isNaN(v) ? Number.POSITIVE_INFINITY : this.signs[0]! * v;
      }
    } else {
      this.state[row] = ROW_IGNORED;
      return;
    }
    this.state[row] = ROW_SCORED;
    this.stepKey[row] = key;
    this.loss[row] = loss;
    this.violation[row] = this.constraints ? violationOf(t) : 0;
    const stepKey = this.stepKey;
    const losses = this.loss;
    this.keyOrder = insertSorted(this.keyOrder, this.nScored, row, (a, b) => {
      const ka = stepKey[a]!;
      const kb = stepKey[b]!;
      if (ka !== kb) return ka < kb;
      const la = losses[a]!;
      const lb = losses[b]!;
      if (la !== lb) return la < lb;
      return a < b;
    });
    if (this.constraints) {
      const v = this.violation;
      this.violationOrder = insertSorted(this.violationOrder, this.nScored, row, (a, b) =>
        v[a]! !== v[b]! ? v[a]! < v[b]! : a < b,
      );
    }
    this.nScored++;
    this.version++;
    for (const name in t.params) {
      const d = t.distributions[name];
      if (d === undefined) continue;
      const x = modelValue(d, t.params[name]);
      if (!Number.isFinite(x)) continue;
      let column = this.columns.get(name);
      if (column === undefined) {
        column = new Column(name, d, this.capacity);
        this.columns.set(name, column);
        this.columnList.push(column);
      } else if (column.distribution.kind !== d.kind) {
        continue;
      }
      column.set(row, x);
    }
    for (const listener of this.onScored) listener(t);
  }
}
