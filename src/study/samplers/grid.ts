/**
 * Grid search, as Optuna's `GridSampler`: every point of a finite grid once, in a seeded random
 * order, then the study stops. Two forms:
 *
 * - define-by-run, `new GridSampler({ x: [..], y: [..] })`: the cartesian product of the lists
 *   (names sorted, the last varying fastest, as `itertools.product` over Optuna's sorted dict),
 *   with Optuna's `grid_id` and `search_space` system attributes, so Optuna reads the trials;
 * - space-first, `new GridSampler()` (optionally `{ override }`) for `createStudy({ space })`:
 *   the grid is `space.grid()`, so conditionals are respected and each valid combination is one
 *   point, replayed through the trial under SpaX's parameter names.
 *
 * A point is claimed in `beforeTrial` by writing `grid_id` on the trial, which the study shows
 * to `getTrials()` at once: concurrent trials of one process never take the same point, and the
 * trial that claims the last free point stops the study, so no trial runs without a point.
 * @module
 */
import { formatValue, SpaxError } from "../../errors.js";
import { configParams } from "../../sample/sampler.js";
import type { ConfigSpace, OverrideInput } from "../../space/config.js";
import {
  canonicalKey,
  freezeJson,
  isPlainObject,
  type JsonValue,
  jsonEquals,
} from "../../space/values.js";
import type { Distribution } from "../distributions.js";
import { type FrozenTrial, isFinished, type TrialState } from "../frozen-trial.js";
import type { Sampler, StudyView } from "../sampler.js";
import { resolveSeed, trialRandom } from "../seed.js";

/** A define-by-run grid: parameter name → the values to try. */
export type GridSearchSpace = Readonly<Record<string, readonly JsonValue[]>>;

/** Options of the define-by-run form. */
export interface GridSamplerOptions {
  /** Seed of the order in which points are visited; fresh entropy when absent. */
  seed?: number | bigint;
}

/** Options of the space-first form (`new GridSampler()` with `createStudy({ space })`). */
export interface SpaceGridSamplerOptions extends GridSamplerOptions {
  /** Grid the space narrowed by this override (`study.space.narrow(override)`). */
  override?: OverrideInput<any>;
}

/** System attribute keys (Optuna's, plus one for space-first grids). */
const GRID_ID = "grid_id";
const SEARCH_SPACE = "search_space";
/** Identifies a space-first grid beyond its per-name value lists (conditional structure). */
const FINGERPRINT = "grid:fingerprint";
const FIXED_PARAMS = "fixed_params";

/** The `trialRandom` stream of the grid's choice of point. */
const GRID_STREAM = 0x67726964; // "grid"

const SPACE_FIRST_KEYS = ["seed", "override"];

type AnyConfig = ConfigSpace<string, any, unknown>;

/** A finite grid: points numbered 0..size-1. */
interface Grid {
  readonly size: number;
  /** The `search_space` system attribute written on each trial. */
  readonly searchSpace: JsonValue;
  /** The `grid:fingerprint` attribute, for space-first grids. */
  readonly fingerprint: string | undefined;
  /** Whether `name` is a parameter of some point. */
  has(name: string): boolean;
  /** The value of `name` at point `id`, or `undefined` when the point has no such parameter. */
  value(id: number, name: string): JsonValue | undefined;
  /** Parameter names, for messages. */
  readonly names: readonly string[];
}

/** Python's `sorted` on strings: by code point (JavaScript's default sorts UTF-16 units). */
function byCodePoint(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** The cartesian product of lists, numbered as `itertools.product` over sorted names. */
class ProductGrid implements Grid {
  readonly size: number;
  readonly searchSpace: JsonValue;
  readonly fingerprint = undefined;
  readonly names: readonly string[];
  private readonly lists: readonly (readonly JsonValue[])[];
  /** Per name, the number of points one step of its value spans. */
  private readonly strides: readonly number[];
  private readonly index: ReadonlyMap<string, number>;

  constructor(space: GridSearchSpace) {
    if (!isPlainObject(space)) {
      throw new SpaxError(
        `GridSampler: the search space must be an object of value lists, got ${formatValue(space)}`,
        { code: "invalid_grid" },
      );
    }
    const names = Object.keys(space).sort(byCodePoint);
    if (names.length === 0) {
      throw new SpaxError(
        "GridSampler({}): the search space names no parameters, so the grid is empty; pass { name: [values] }, or use new GridSampler() with a space-first study",
        { code: "empty_grid" },
      );
    }
    const lists = names.map((name) => {
      const raw: unknown = space[name];
      if (!Array.isArray(raw)) {
        throw new SpaxError(
          `the grid of "${name}" must be a list of values, got ${formatValue(raw)}`,
          {
            path: ["GridSampler", name],
            code: "invalid_grid",
          },
        );
      }
      const seen = new Set<string>();
      return raw.map((v, i) => {
        const value = freezeJson(v, ["GridSampler", name, i], "a grid value");
        const key = canonicalKey(value);
        if (seen.has(key)) {
          throw new SpaxError(`${formatValue(value)} is listed twice in the grid of "${name}"`, {
            path: ["GridSampler", name, i],
            code: "duplicate_grid_value",
          });
        }
        seen.add(key);
        return value;
      });
    });
    const emptyAt = lists.findIndex((l) => l.length === 0);
    if (emptyAt >= 0) {
      throw new SpaxError(`the grid of "${names[emptyAt]}" has no values, so the grid is empty`, {
        path: ["GridSampler", names[emptyAt]!],
        code: "empty_grid",
      });
    }
    const strides = new Array<number>(names.length);
    let size = 1;
    for (let i = names.length - 1; i >= 0; i--) {
      strides[i] = size;
      size *= lists[i]!.length;
    }
    if (!Number.isSafeInteger(size)) {
      throw new SpaxError(`the grid has ${size} points, more than can be numbered`, {
        code: "grid_too_large",
      });
    }
    this.names = names;
    this.lists = lists;
    this.strides = strides;
    this.size = size;
    this.index = new Map(names.map((n, i) => [n, i]));
    const attr: Record<string, JsonValue> = {};
    names.forEach((n, i) => {
      attr[n] = lists[i]!;
    });
    this.searchSpace = attr;
  }

  has(name: string): boolean {
    return this.index.has(name);
  }

  value(id: number, name: string): JsonValue | undefined {
    const i = this.index.get(name);
    if (i === undefined) return undefined;
    const list = this.lists[i]!;
    return list[Math.floor(id / this.strides[i]!) % list.length];
  }
}

/** A space-first grid: the configs of `space.grid()` as SpaX parameters. */
class ConfigGrid implements Grid {
  readonly size: number;
  readonly searchSpace: JsonValue;
  readonly fingerprint: string;
  readonly names: readonly string[];
  private readonly points: readonly Readonly<Record<string, JsonValue>>[];

  constructor(studySpace: AnyConfig, override: OverrideInput<any> | undefined) {
    const space = override === undefined ? studySpace : studySpace.narrow(override);
    const points: Record<string, JsonValue>[] = [];
    // The space's own error for an infinite space (a continuous float) propagates.
    for (const config of space.grid()) {
      // Parameters of the study's space: what its `fromTrial` asks to rebuild this config.
      points.push(
        configParams(studySpace, config as Record<string, unknown>) as Record<string, JsonValue>,
      );
    }
    if (points.length === 0) {
      throw new SpaxError(
        `${space.name}.grid() is empty (its constraints or override leave no valid config), so GridSampler has nothing to try`,
        { code: "empty_grid" },
      );
    }
    // Optuna's search_space shape: each name's values in order of first appearance.
    const values = new Map<string, { keys: Set<string>; list: JsonValue[] }>();
    let hash = fnv(0x811c9dc5, String(points.length));
    for (const p of points) {
      for (const name of Object.keys(p)) {
        let entry = values.get(name);
        if (entry === undefined) {
          entry = { keys: new Set(), list: [] };
          values.set(name, entry);
        }
        const key = canonicalKey(p[name]);
        if (!entry.keys.has(key)) {
          entry.keys.add(key);
          entry.list.push(p[name]!);
        }
        hash = fnv(hash, `${JSON.stringify(name)}=${key};`);
      }
      hash = fnv(hash, "|");
    }
    const names = [...values.keys()].sort(byCodePoint);
    const attr: Record<string, JsonValue> = {};
    for (const n of names) attr[n] = values.get(n)!.list;
    this.names = names;
    this.points = points;
    this.size = points.length;
    this.searchSpace = attr;
    this.fingerprint = `${space.name}:${points.length}:${(hash >>> 0).toString(16).padStart(8, "0")}`;
  }

  has(name: string): boolean {
    return Object.hasOwn(this.searchSpace as object, name);
  }

  value(id: number, name: string): JsonValue | undefined {
    const p = this.points[id]!;
    return Object.hasOwn(p, name) ? p[name] : undefined;
  }
}

/** FNV-1a over the UTF-16 units of `text`, continuing from `hash`. */
function fnv(hash: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash;
}

/** The k-th (0-based) integer of 0..size-1 that is not in `excluded` (sorted ascending). */
function kthFree(k: number, excludedSorted: readonly number[]): number {
  let id = k;
  for (const t of excludedSorted) {
    if (t <= id) id++;
    else break;
  }
  return id;
}

function sortedIds(ids: ReadonlySet<number>): number[] {
  return [...ids].sort((a, b) => a - b);
}

/**
 * Grid search over a define-by-run grid or a space-first study's space. Points are visited in
 * a random order drawn from `trialRandom(seed, trial.number)`: a point not taken by a RUNNING or
 * finished trial; when every point is taken the study is stopped. An enqueued trial
 * (`fixed_params`) claims a point that agrees with its fixed values, so it counts as visited.
 *
 * @example
 * // Define-by-run, as Optuna:
 * const study = await sp.createStudy({ sampler: new sp.GridSampler({ x: [-1, 0, 1], y: ["a", "b"] }, { seed: 1 }) });
 * await study.optimize((trial) => trial.suggestFloat("x", -1, 1) + (trial.suggestCategorical("y", ["a", "b"]) === "a" ? 0 : 1));
 * // Space-first: each valid config of Training.grid() once.
 * const grid = await sp.createStudy({ space: Training, sampler: new sp.GridSampler() });
 */
export class GridSampler implements Sampler {
  private readonly seed: bigint;
  private readonly fixedGrid: ProductGrid | undefined;
  private readonly override: OverrideInput<any> | undefined;
  /** The space-first grid, with the study space it was built for. */
  private spaceGrid: { space: AnyConfig; grid: ConfigGrid } | undefined;
  /** Points this sampler claimed, by trial id (a snapshot handed in may predate the claim). */
  private readonly claims = new Map<number, number>();
  /** Whether a trial's `search_space` attribute (by identity) is this grid's. */
  private readonly sameCache = new WeakMap<object, boolean>();

  /**
   * @param searchSpace a define-by-run grid `{ name: [values] }` (Optuna's form); or, for a
   * space-first study, nothing or `{ override?, seed? }`
   * @param options `{ seed }` for the define-by-run form
   * @throws SpaxError code `empty_grid` for a grid without points, `invalid_grid` /
   * `duplicate_grid_value` / `not_json` for bad lists, `invalid_option` for junk options.
   */
  constructor(searchSpace?: GridSearchSpace, options?: GridSamplerOptions);
  constructor(options?: SpaceGridSamplerOptions);
  constructor(first?: GridSearchSpace | SpaceGridSamplerOptions, options: GridSamplerOptions = {}) {
    if (first !== undefined && !isPlainObject(first)) {
      throw new SpaxError(
        `GridSampler needs a search space { name: [values] } or options { override?, seed? }, got ${formatValue(first)}`,
        { code: "invalid_grid" },
      );
    }
    if (!isPlainObject(options as unknown)) {
      throw new SpaxError(`GridSampler: options must be an object, got ${formatValue(options)}`, {
        code: "invalid_option",
      });
    }
    for (const key of Object.keys(options)) {
      if (key !== "seed") {
        throw new SpaxError(`GridSampler: unknown option ${JSON.stringify(key)}; expected seed`, {
          code: "invalid_option",
        });
      }
    }
    // An object with a list value is a grid (`{}` too: an empty one); otherwise it holds the
    // space-first options.
    const isGrid =
      first !== undefined &&
      (Object.keys(first).length === 0 || Object.values(first).some((v) => Array.isArray(v)));
    if (!isGrid && first !== undefined) {
      for (const key of Object.keys(first)) {
        if (!SPACE_FIRST_KEYS.includes(key)) {
          throw new SpaxError(
            `GridSampler: unknown option ${JSON.stringify(key)}; expected seed or override, or a grid { name: [values] }`,
            { code: "invalid_option" },
          );
        }
      }
    }
    if (isGrid) {
      this.fixedGrid = new ProductGrid(first as GridSearchSpace);
      this.override = undefined;
      this.seed = resolveSeed(options.seed);
    } else {
      const o = (first ?? {}) as SpaceGridSamplerOptions;
      if (o.seed !== undefined && options.seed !== undefined) {
        throw new SpaxError("GridSampler: seed given twice", { code: "invalid_option" });
      }
      this.fixedGrid = undefined;
      this.override = o.override;
      this.seed = resolveSeed(o.seed ?? options.seed);
    }
  }

  /** The grid of this sampler for `study` (built once for a space-first study). */
  private gridFor(study: StudyView): Grid {
    if (this.fixedGrid !== undefined) return this.fixedGrid;
    const space = study.space;
    if (space === undefined) {
      throw new SpaxError(
        "GridSampler() without a search space grids the study's space, but this study has none; create it with createStudy({ space }), or pass the grid: new GridSampler({ name: [values] })",
        { code: "grid_needs_space" },
      );
    }
    if (this.spaceGrid === undefined || this.spaceGrid.space !== space) {
      this.spaceGrid = { space, grid: new ConfigGrid(space, this.override) };
    }
    return this.spaceGrid.grid;
  }

  /** The grid point `trial` holds in its system attributes, if it belongs to this grid. */
  private idOf(grid: Grid, trial: FrozenTrial): number | undefined {
    const attrs = trial.systemAttrs;
    const id = attrs[GRID_ID];
    if (typeof id !== "number" || !Number.isSafeInteger(id) || id < 0 || id >= grid.size) {
      return undefined;
    }
    if (grid.fingerprint !== undefined && attrs[FINGERPRINT] !== grid.fingerprint) return undefined;
    const space = attrs[SEARCH_SPACE];
    if (space === null || typeof space !== "object") return undefined;
    let same = this.sameCache.get(space);
    if (same === undefined) {
      same = sameSearchSpace(space, grid.searchSpace);
      this.sameCache.set(space, same);
    }
    return same ? id : undefined;
  }

  /** The point of `trial`: claimed here, on its snapshot, or on the study's latest snapshot. */
  private pointOf(study: StudyView, grid: Grid, trial: FrozenTrial): number | undefined {
    const claimed = this.claims.get(trial.trialId);
    if (claimed !== undefined) return claimed;
    const own = this.idOf(grid, trial);
    if (own !== undefined) return own;
    const latest = study.getTrials().find((t) => t.trialId === trial.trialId);
    return latest === undefined ? undefined : this.idOf(grid, latest);
  }

  /** The grid is sampled through {@link sampleIndependent}: no relative search space. */
  inferRelativeSearchSpace(): Record<string, Distribution> {
    return {};
  }

  sampleRelative(): Record<string, JsonValue> {
    return {};
  }

  /**
   * Claims a grid point for `trial`: a random one among those no RUNNING or finished trial holds
   * (for an enqueued trial, among those agreeing with its fixed values). When none is free,
   * re-evaluates one (Optuna does the same), preferring points not finished. Stops the study
   * once every point is taken.
   * @throws SpaxError code `empty_grid` (space-first, empty grid), `grid_needs_space`, or the
   * space's own error for an infinite space.
   */
  beforeTrial(study: StudyView, trial: FrozenTrial): void {
    const grid = this.gridFor(study);
    if (this.pointOf(study, grid, trial) !== undefined) return;
    const taken = new Set<number>();
    const finished = new Set<number>();
    for (const t of study.getTrials()) {
      if (t.trialId === trial.trialId) continue;
      const id = this.idOf(grid, t);
      if (id === undefined) continue;
      if (t.state === "RUNNING" || isFinished(t.state)) taken.add(id);
      if (isFinished(t.state)) finished.add(id);
    }
    const rng = trialRandom(this.seed, trial.number, GRID_STREAM);
    let id: number;
    const fixed = fixedParams(trial);
    const constrained =
      fixed !== undefined ? Object.keys(fixed).filter((name) => grid.has(name)) : [];
    if (fixed !== undefined && constrained.length > 0) {
      // An enqueued trial: only points agreeing with its fixed values.
      const matching: number[] = [];
      for (let p = 0; p < grid.size; p++) {
        if (constrained.every((name) => jsonEquals(grid.value(p, name), fixed[name]))) {
          matching.push(p);
        }
      }
      // Values outside the grid: no point; sampleIndependent names what is missing.
      if (matching.length === 0) return;
      const free = matching.filter((p) => !taken.has(p));
      const unfinished = matching.filter((p) => !finished.has(p));
      const pool = free.length > 0 ? free : unfinished.length > 0 ? unfinished : matching;
      id = pool[rng.randbelow(pool.length)]!;
    } else if (taken.size < grid.size) {
      id = kthFree(rng.randbelow(grid.size - taken.size), sortedIds(taken));
    } else if (finished.size < grid.size) {
      // Every point is taken (a resumed or over-asked study): re-run one still running.
      id = kthFree(rng.randbelow(grid.size - finished.size), sortedIds(finished));
    } else {
      id = rng.randbelow(grid.size);
    }
    study.setTrialSystemAttr(trial.trialId, SEARCH_SPACE, grid.searchSpace);
    if (grid.fingerprint !== undefined) {
      study.setTrialSystemAttr(trial.trialId, FINGERPRINT, grid.fingerprint);
    }
    study.setTrialSystemAttr(trial.trialId, GRID_ID, id);
    this.claims.set(trial.trialId, id);
    taken.add(id);
    if (taken.size >= grid.size) study.stop();
  }

  /**
   * The value of `name` at the trial's grid point.
   * @throws SpaxError code `not_in_grid` when the grid has no such parameter (or the point does
   * not use it), `grid_value_out_of_range` when the grid's value is outside `distribution`,
   * `grid_point_missing` when the trial holds no point (an enqueued trial whose fixed values
   * match no point and that leaves `name` open).
   */
  sampleIndependent(
    study: StudyView,
    trial: FrozenTrial,
    name: string,
    distribution: Distribution,
  ): JsonValue {
    const grid = this.gridFor(study);
    if (!grid.has(name)) {
      throw new SpaxError(
        `the parameter "${name}" is not in the grid (its parameters: ${grid.names.map((n) => JSON.stringify(n)).join(", ")})`,
        { code: "not_in_grid" },
      );
    }
    const id = this.pointOf(study, grid, trial);
    if (id === undefined) {
      const fixed = fixedParams(trial);
      throw new SpaxError(
        fixed !== undefined
          ? `trial ${trial.number} was enqueued with ${formatValue(fixed)}, which is no point of the grid, and leaves "${name}" open; enqueue every grid parameter with values from the grid`
          : `trial ${trial.number} holds no grid point (GridSampler claims one in beforeTrial)`,
        { code: "grid_point_missing" },
      );
    }
    const value = grid.value(id, name);
    if (value === undefined) {
      throw new SpaxError(
        `the parameter "${name}" is not used by grid point ${id}, which the trial is running`,
        { code: "not_in_grid" },
      );
    }
    if (!distribution.contains(value)) {
      throw new SpaxError(
        `the grid value ${formatValue(value)} of "${name}" is outside the distribution it is suggested with (${describe(distribution)})`,
        { code: "grid_value_out_of_range" },
      );
    }
    return value;
  }

  /** Stops the study once every grid point is taken (this trial's included). */
  afterTrial(
    study: StudyView,
    trial: FrozenTrial,
    _state: TrialState,
    _values: readonly number[] | undefined,
  ): void {
    const claimed = this.claims.get(trial.trialId);
    this.claims.delete(trial.trialId);
    let grid: Grid;
    try {
      grid = this.gridFor(study);
    } catch {
      return; // reported where the trial started
    }
    const taken = new Set<number>();
    if (claimed !== undefined) taken.add(claimed);
    for (const t of study.getTrials()) {
      if (t.state !== "RUNNING" && !isFinished(t.state)) continue;
      const id = this.idOf(grid, t);
      if (id !== undefined) taken.add(id);
    }
    if (taken.size >= grid.size) study.stop();
  }
}

/** Optuna's `_same_search_space`: the same names, each with equal value lists. */
function sameSearchSpace(a: object, b: JsonValue): boolean {
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && jsonEquals(a[k], b[k]));
}

/** An enqueued trial's fixed parameters (Optuna's `fixed_params` system attribute). */
function fixedParams(trial: FrozenTrial): Record<string, JsonValue> | undefined {
  const fixed = trial.systemAttrs[FIXED_PARAMS];
  return isPlainObject(fixed) ? (fixed as Record<string, JsonValue>) : undefined;
}

function describe(d: Distribution): string {
  switch (d.kind) {
    case "float":
      return `float in [${d.low}, ${d.high}]${d.log ? ", log" : ""}${d.step !== undefined ? `, step ${d.step}` : ""}`;
    case "int":
      return `int in [${d.low}, ${d.high}]${d.log ? ", log" : ""}${d.step !== 1 ? `, step ${d.step}` : ""}`;
    case "categorical":
      return `one of ${formatValue(d.choices)}`;
  }
}
