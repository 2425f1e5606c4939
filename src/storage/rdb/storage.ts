/**
 * Storage in Optuna's RDB schema over any SQL driver (SQLite, PostgreSQL). The SQL lives here;
 * drivers only run statements, so both dialects share every rule: gap-free trial numbers under
 * concurrent writers, an atomic queue pop, frozen finished trials, Optuna's value encodings.
 * @module
 */
import { formatValue, SpaxError } from "../../errors.js";
import type { JsonValue } from "../../space/values.js";
import {
  type Distribution,
  distributionFromJSON,
  distributionToJSON,
  pythonJson,
} from "../../study/distributions.js";
import {
  type FrozenTrial,
  isFinished,
  type StudyDirection,
  type StudySummary,
  type TrialState,
  type TrialTemplate,
} from "../../study/frozen-trial.js";
import {
  DuplicateStudyError,
  NotFoundError,
  STALE_REASON,
  type Storage,
  TrialFinishedError,
} from "../base.js";
import { type Dialect, SCHEMA_VERSION, schemaSql } from "./schema.js";

/** A row as drivers return it. */
export type Row = Record<string, unknown>;

/** Statements inside one connection or transaction. SQL uses `?` placeholders. */
export interface SqlQuery {
  all(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

/**
 * What a database driver provides. `transaction` must serialize writers (SQLite: `BEGIN
 * IMMEDIATE` with a busy timeout and retries; PostgreSQL: row locks taken by the SQL here).
 */
export interface SqlDriver {
  readonly dialect: Dialect;
  /** Runs `fn` in a write transaction, retrying it on transient lock/serialization errors. */
  transaction<T>(fn: (q: SqlQuery) => Promise<T>): Promise<T>;
  /** Runs `fn` for reads (a consistent snapshot where the database gives one). */
  read<T>(fn: (q: SqlQuery) => Promise<T>): Promise<T>;
  /** Runs DDL (several statements). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

const STATES: readonly TrialState[] = ["RUNNING", "COMPLETE", "PRUNED", "FAIL", "WAITING"];

/**
 * Python's `datetime.now()` as Optuna ≤ 4.9 writes it: naive local time with microseconds,
 * `YYYY-MM-DD HH:MM:SS.ffffff`.
 */
export function formatDatetime(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}000`;
}

/** Reads a stored datetime (text from SQLite, Date from PostgreSQL) as local time. */
export function parseDatetime(v: unknown): Date | undefined {
  if (v === null || v === undefined) return undefined;
  if (v instanceof Date) return v;
  const m = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d+))?/.exec(String(v));
  if (!m) return undefined;
  const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  return new Date(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
    ms,
  );
}

/**
 * Parses `value_json` as Python writes it: `json.dumps` may emit bare `NaN`, `Infinity` and
 * `-Infinity`, which JSON.parse rejects.
 */
export function parsePythonJson(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    const marked = text.replace(
      /"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)/g,
      (m, token: string | undefined) =>
        token === undefined ? m : `{"__spax_nonfinite__":"${token}"}`,
    );
    return JSON.parse(marked, (_k, v) =>
      v !== null && typeof v === "object" && typeof v.__spax_nonfinite__ === "string"
        ? Number(v.__spax_nonfinite__)
        : v,
    ) as JsonValue;
  }
}

function valueType(v: number): "FINITE" | "INF_POS" | "INF_NEG" {
  return v === Number.POSITIVE_INFINITY
    ? "INF_POS"
    : v === Number.NEGATIVE_INFINITY
      ? "INF_NEG"
      : "FINITE";
}

function decodeValue(value: unknown, type: unknown): number {
  switch (type) {
    case "INF_POS":
      return Number.POSITIVE_INFINITY;
    case "INF_NEG":
      return Number.NEGATIVE_INFINITY;
    case "NAN":
      return Number.NaN;
    default:
      return Number(value);
  }
}

/**
 * A {@link Storage} in Optuna's schema over a SQL driver.
 */
export class RdbStorage implements Storage {
  private readonly distributions = new Map<string, Distribution>();

  private constructor(private readonly driver: SqlDriver) {}

  /** Opens (and creates the schema of) a database behind `driver`. */
  static async open(driver: SqlDriver, libraryVersion: string): Promise<RdbStorage> {
    await driver.exec(schemaSql(driver.dialect));
    await driver.transaction(async (q) => {
      const rows = await q.all("SELECT schema_version FROM version_info WHERE version_info_id = 1");
      if (rows.length === 0) {
        await q.run(
          "INSERT INTO version_info (version_info_id, schema_version, library_version) VALUES (1, ?, ?)",
          [SCHEMA_VERSION, libraryVersion],
        );
      } else if (Number(rows[0]!.schema_version) !== SCHEMA_VERSION) {
        throw new SpaxError(
          `this database has Optuna schema version ${formatValue(rows[0]!.schema_version)}; spax reads version ${SCHEMA_VERSION} (Optuna ≥ 3.0). Upgrade it with \`optuna storage upgrade\``,
          { code: "schema_version" },
        );
      }
    });
    return new RdbStorage(driver);
  }

  private distribution(json: string): Distribution {
    let d = this.distributions.get(json);
    if (!d) {
      d = distributionFromJSON(json);
      this.distributions.set(json, d);
    }
    return d;
  }

  private async studyRow(q: SqlQuery, studyId: number): Promise<Row> {
    const rows = await q.all("SELECT study_id, study_name FROM studies WHERE study_id = ?", [
      studyId,
    ]);
    if (rows.length === 0)
      throw new NotFoundError(`no study with id ${formatValue(studyId)}`, {
        code: "study_not_found",
      });
    return rows[0]!;
  }

  /** The state of a trial that may still change; throws for unknown or finished trials. */
  private async liveTrial(
    q: SqlQuery,
    trialId: number,
  ): Promise<{ state: TrialState; number: number; studyId: number }> {
    const rows = await q.all("SELECT state, number, study_id FROM trials WHERE trial_id = ?", [
      trialId,
    ]);
    if (rows.length === 0)
      throw new NotFoundError(`no trial with id ${formatValue(trialId)}`, {
        code: "trial_not_found",
      });
    const state = rows[0]!.state as TrialState;
    if (isFinished(state)) {
      throw new TrialFinishedError(
        `trial ${rows[0]!.number} is already ${state}; it cannot change`,
        { code: "trial_finished" },
      );
    }
    return { state, number: Number(rows[0]!.number), studyId: Number(rows[0]!.study_id) };
  }

  async createStudy(name: string, directions: readonly StudyDirection[]): Promise<number> {
    const duplicate = () =>
      new DuplicateStudyError(`a study named ${JSON.stringify(name)} exists already`, {
        code: "duplicate_study",
      });
    // Two workers creating the same study race past the check: the unique index decides.
    return this.driver
      .transaction(async (q) => {
        if ((await q.all("SELECT study_id FROM studies WHERE study_name = ?", [name])).length > 0)
          throw duplicate();
        const id = Number(
          (
            await q.all("INSERT INTO studies (study_name) VALUES (?) RETURNING study_id", [name])
          )[0]!.study_id,
        );
        for (let i = 0; i < directions.length; i++) {
          await q.run(
            "INSERT INTO study_directions (direction, study_id, objective) VALUES (?, ?, ?)",
            [directions[i]!.toUpperCase(), id, i],
          );
        }
        return id;
      })
      .catch((error) => {
        throw error instanceof SpaxError && error.code === "unique_violation" ? duplicate() : error;
      });
  }

  async deleteStudy(studyId: number): Promise<void> {
    await this.driver.transaction(async (q) => {
      await this.studyRow(q, studyId);
      const inStudy = "trial_id IN (SELECT trial_id FROM trials WHERE study_id = ?)";
      for (const table of [
        "trial_params",
        "trial_values",
        "trial_intermediate_values",
        "trial_user_attributes",
        "trial_system_attributes",
        "trial_heartbeats",
      ]) {
        await q.run(`DELETE FROM ${table} WHERE ${inStudy}`, [studyId]);
      }
      for (const table of [
        "trials",
        "study_directions",
        "study_user_attributes",
        "study_system_attributes",
        "studies",
      ]) {
        await q.run(`DELETE FROM ${table} WHERE study_id = ?`, [studyId]);
      }
    });
  }

  async getStudyId(name: string): Promise<number | undefined> {
    const rows = await this.driver.read((q) =>
      q.all("SELECT study_id FROM studies WHERE study_name = ?", [name]),
    );
    return rows.length === 0 ? undefined : Number(rows[0]!.study_id);
  }

  private async summaries(q: SqlQuery, studyId?: number): Promise<StudySummary[]> {
    const where = studyId === undefined ? "" : " WHERE s.study_id = ?";
    const args = studyId === undefined ? [] : [studyId];
    const studies = await q.all(
      `SELECT s.study_id, s.study_name, (SELECT COUNT(*) FROM trials t WHERE t.study_id = s.study_id) AS n_trials, (SELECT MIN(datetime_start) FROM trials t WHERE t.study_id = s.study_id) AS started FROM studies s${where} ORDER BY s.study_id`,
      args,
    );
    const directions = await q.all(
      `SELECT study_id, direction, objective FROM study_directions${studyId === undefined ? "" : " WHERE study_id = ?"} ORDER BY objective`,
      args,
    );
    const attrs = async (table: string) =>
      q.all(
        `SELECT study_id, "key", value_json FROM ${table}${studyId === undefined ? "" : " WHERE study_id = ?"} ORDER BY ${table.replace("attributes", "attribute")}_id`,
        args,
      );
    const user = await attrs("study_user_attributes");
    const system = await attrs("study_system_attributes");
    const gather = (rows: Row[], id: number) => {
      const out: Record<string, JsonValue> = {};
      for (const r of rows)
        if (Number(r.study_id) === id) out[String(r.key)] = parsePythonJson(String(r.value_json));
      return out;
    };
    return studies.map((s) => {
      const id = Number(s.study_id);
      return {
        studyId: id,
        name: String(s.study_name),
        directions: directions
          .filter((d) => Number(d.study_id) === id)
          .map((d) => String(d.direction).toLowerCase() as StudyDirection),
        userAttrs: gather(user, id),
        systemAttrs: gather(system, id),
        nTrials: Number(s.n_trials),
        datetimeStart: parseDatetime(s.started),
      };
    });
  }

  async getAllStudies(): Promise<StudySummary[]> {
    return this.driver.read((q) => this.summaries(q));
  }

  async getStudy(studyId: number): Promise<StudySummary> {
    const [s] = await this.driver.read((q) => this.summaries(q, studyId));
    if (!s)
      throw new NotFoundError(`no study with id ${formatValue(studyId)}`, {
        code: "study_not_found",
      });
    return s;
  }

  private async setStudyAttr(
    table: string,
    studyId: number,
    key: string,
    value: JsonValue,
  ): Promise<void> {
    await this.driver.transaction(async (q) => {
      await this.studyRow(q, studyId);
      await q.run(
        `INSERT INTO ${table} (study_id, "key", value_json) VALUES (?, ?, ?) ON CONFLICT (study_id, "key") DO UPDATE SET value_json = excluded.value_json`,
        [studyId, key, pythonJson(value)],
      );
    });
  }

  setStudyUserAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    return this.setStudyAttr("study_user_attributes", studyId, key, value);
  }

  setStudySystemAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    return this.setStudyAttr("study_system_attributes", studyId, key, value);
  }

  async createTrial(studyId: number, template: TrialTemplate = {}): Promise<FrozenTrial> {
    const trialId = await this.driver.transaction(async (q) => {
      await this.studyRow(q, studyId);
      if (this.driver.dialect === "postgresql") {
        // Serialize numbering per study (Optuna takes the same lock).
        await q.all("SELECT study_id FROM studies WHERE study_id = ? FOR UPDATE", [studyId]);
      }
      const state = template.state ?? "RUNNING";
      const start = template.datetimeStart ?? (state === "WAITING" ? undefined : new Date());
      const complete = template.datetimeComplete ?? (isFinished(state) ? new Date() : undefined);
      const id = Number(
        (
          await q.all(
            "INSERT INTO trials (number, study_id, state, datetime_start, datetime_complete) VALUES ((SELECT COUNT(*) FROM trials WHERE study_id = ?), ?, ?, ?, ?) RETURNING trial_id",
            [
              studyId,
              studyId,
              state,
              start && formatDatetime(start),
              complete && formatDatetime(complete),
            ],
          )
        )[0]!.trial_id,
      );
      for (const [name, value] of Object.entries(template.params ?? {})) {
        const d = template.distributions?.[name];
        if (!d)
          throw new SpaxError(
            `createTrial: parameter ${JSON.stringify(name)} has no distribution`,
            { code: "invalid_template" },
          );
        await q.run(
          "INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) VALUES (?, ?, ?, ?)",
          [id, name, d.toInternal(value as never), distributionToJSON(d)],
        );
      }
      for (const [i, v] of (template.values ?? []).entries()) {
        await q.run(
          "INSERT INTO trial_values (trial_id, objective, value, value_type) VALUES (?, ?, ?, ?)",
          [id, i, Number.isFinite(v) ? v : null, valueType(v)],
        );
      }
      for (const [step, v] of template.intermediateValues ?? new Map())
        await this.writeIntermediate(q, id, step, v);
      for (const [k, v] of Object.entries(template.userAttrs ?? {}))
        await this.writeAttr(q, "trial_user_attributes", id, k, v);
      for (const [k, v] of Object.entries(template.systemAttrs ?? {}))
        await this.writeAttr(q, "trial_system_attributes", id, k, v);
      return id;
    });
    return this.getTrial(trialId);
  }

  async popWaitingTrial(studyId: number): Promise<FrozenTrial | undefined> {
    const trialId = await this.driver.transaction(async (q) => {
      await this.studyRow(q, studyId);
      const skipLocked = this.driver.dialect === "postgresql" ? " FOR UPDATE SKIP LOCKED" : "";
      const rows = await q.all(
        `SELECT trial_id FROM trials WHERE study_id = ? AND state = 'WAITING' ORDER BY trial_id LIMIT 1${skipLocked}`,
        [studyId],
      );
      if (rows.length === 0) return undefined;
      const id = Number(rows[0]!.trial_id);
      // The state check in WHERE makes the pop atomic: only one worker moves it to RUNNING.
      const changed = await q.run(
        "UPDATE trials SET state = 'RUNNING', datetime_start = ? WHERE trial_id = ? AND state = 'WAITING'",
        [formatDatetime(new Date()), id],
      );
      return changed === 1 ? id : undefined;
    });
    return trialId === undefined ? undefined : this.getTrial(trialId);
  }

  async setTrialParam(
    trialId: number,
    name: string,
    internal: number,
    distribution: Distribution,
  ): Promise<void> {
    await this.driver.transaction(async (q) => {
      await this.liveTrial(q, trialId);
      await q.run(
        "INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) VALUES (?, ?, ?, ?) ON CONFLICT (trial_id, param_name) DO UPDATE SET param_value = excluded.param_value, distribution_json = excluded.distribution_json",
        [trialId, name, internal, distributionToJSON(distribution)],
      );
    });
  }

  async setTrialState(
    trialId: number,
    state: TrialState,
    values?: readonly number[],
  ): Promise<boolean> {
    return this.driver.transaction(async (q) => {
      const current = await this.liveTrial(q, trialId);
      if (state === "RUNNING" && current.state !== "WAITING") return false;
      const now = formatDatetime(new Date());
      const set =
        state === "RUNNING"
          ? "state = ?, datetime_start = ?"
          : isFinished(state)
            ? "state = ?, datetime_complete = ?"
            : "state = ?";
      const args =
        state === "RUNNING" || isFinished(state) ? [state, now, trialId] : [state, trialId];
      // The state guard makes concurrent finishes of one trial safe: only the first wins.
      const changed = await q.run(
        `UPDATE trials SET ${set} WHERE trial_id = ? AND state = '${current.state}'`,
        args,
      );
      if (changed !== 1) return false;
      if (values) {
        for (const [i, v] of values.entries()) {
          await q.run(
            "INSERT INTO trial_values (trial_id, objective, value, value_type) VALUES (?, ?, ?, ?) ON CONFLICT (trial_id, objective) DO UPDATE SET value = excluded.value, value_type = excluded.value_type",
            [trialId, i, Number.isFinite(v) ? v : null, valueType(v)],
          );
        }
      }
      return true;
    });
  }

  private async writeIntermediate(
    q: SqlQuery,
    trialId: number,
    step: number,
    value: number,
  ): Promise<void> {
    const type = Number.isNaN(value) ? "NAN" : valueType(value);
    await q.run(
      "INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, intermediate_value_type) VALUES (?, ?, ?, ?) ON CONFLICT (trial_id, step) DO UPDATE SET intermediate_value = excluded.intermediate_value, intermediate_value_type = excluded.intermediate_value_type",
      [trialId, step, Number.isFinite(value) ? value : null, type],
    );
  }

  private async writeAttr(
    q: SqlQuery,
    table: string,
    trialId: number,
    key: string,
    value: JsonValue,
  ): Promise<void> {
    await q.run(
      `INSERT INTO ${table} (trial_id, "key", value_json) VALUES (?, ?, ?) ON CONFLICT (trial_id, "key") DO UPDATE SET value_json = excluded.value_json`,
      [trialId, key, pythonJson(value)],
    );
  }

  async setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void> {
    await this.driver.transaction(async (q) => {
      await this.liveTrial(q, trialId);
      await this.writeIntermediate(q, trialId, step, value);
    });
  }

  async setTrialUserAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    await this.driver.transaction(async (q) => {
      await this.liveTrial(q, trialId);
      await this.writeAttr(q, "trial_user_attributes", trialId, key, value);
    });
  }

  async setTrialSystemAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    await this.driver.transaction(async (q) => {
      await this.liveTrial(q, trialId);
      await this.writeAttr(q, "trial_system_attributes", trialId, key, value);
    });
  }

  async getTrial(trialId: number): Promise<FrozenTrial> {
    const [t] = await this.driver.read((q) => this.readTrials(q, "t.trial_id = ?", [trialId]));
    if (!t)
      throw new NotFoundError(`no trial with id ${formatValue(trialId)}`, {
        code: "trial_not_found",
      });
    return t;
  }

  async getAllTrials(
    studyId: number,
    states?: readonly TrialState[],
    fromNumber = 0,
  ): Promise<FrozenTrial[]> {
    return this.driver.read(async (q) => {
      await this.studyRow(q, studyId);
      if (states?.length === 0) return []; // PostgreSQL rejects an empty IN ()
      const stateFilter = states ? ` AND t.state IN (${states.map(() => "?").join(", ")})` : "";
      return this.readTrials(q, `t.study_id = ? AND t.number >= ?${stateFilter}`, [
        studyId,
        fromNumber,
        ...(states ?? []),
      ]);
    });
  }

  /** Reads the trials matching `where` (over `trials t`) with everything attached, in number order. */
  private async readTrials(
    q: SqlQuery,
    where: string,
    args: readonly unknown[],
  ): Promise<FrozenTrial[]> {
    const trials = await q.all(
      `SELECT t.trial_id, t.number, t.state, t.datetime_start, t.datetime_complete FROM trials t WHERE ${where} ORDER BY t.number`,
      args,
    );
    if (trials.length === 0) return [];
    const sub = `SELECT t.trial_id FROM trials t WHERE ${where}`;
    const [params, values, intermediate, user, system] = [
      await q.all(
        `SELECT trial_id, param_name, param_value, distribution_json FROM trial_params WHERE trial_id IN (${sub}) ORDER BY param_id`,
        args,
      ),
      await q.all(
        `SELECT trial_id, objective, value, value_type FROM trial_values WHERE trial_id IN (${sub}) ORDER BY objective`,
        args,
      ),
      await q.all(
        `SELECT trial_id, step, intermediate_value, intermediate_value_type FROM trial_intermediate_values WHERE trial_id IN (${sub}) ORDER BY step`,
        args,
      ),
      await q.all(
        `SELECT trial_id, "key", value_json FROM trial_user_attributes WHERE trial_id IN (${sub}) ORDER BY trial_user_attribute_id`,
        args,
      ),
      await q.all(
        `SELECT trial_id, "key", value_json FROM trial_system_attributes WHERE trial_id IN (${sub}) ORDER BY trial_system_attribute_id`,
        args,
      ),
    ];
    interface Building {
      params: Record<string, JsonValue>;
      distributions: Record<string, Distribution>;
      values: number[];
      intermediate: Map<number, number>;
      user: Record<string, JsonValue>;
      system: Record<string, JsonValue>;
    }
    const byId = new Map<number, Building>();
    for (const t of trials) {
      byId.set(Number(t.trial_id), {
        params: {},
        distributions: {},
        values: [],
        intermediate: new Map(),
        user: {},
        system: {},
      });
    }
    for (const p of params) {
      const b = byId.get(Number(p.trial_id))!;
      const d = this.distribution(String(p.distribution_json));
      b.distributions[String(p.param_name)] = d;
      b.params[String(p.param_name)] = d.fromInternal(Number(p.param_value)) as JsonValue;
    }
    for (const v of values)
      byId.get(Number(v.trial_id))!.values[Number(v.objective)] = decodeValue(
        v.value,
        v.value_type,
      );
    for (const v of intermediate) {
      byId
        .get(Number(v.trial_id))!
        .intermediate.set(
          Number(v.step),
          decodeValue(v.intermediate_value, v.intermediate_value_type),
        );
    }
    for (const a of user)
      byId.get(Number(a.trial_id))!.user[String(a.key)] = parsePythonJson(String(a.value_json));
    for (const a of system)
      byId.get(Number(a.trial_id))!.system[String(a.key)] = parsePythonJson(String(a.value_json));
    return trials.map((t) => {
      const b = byId.get(Number(t.trial_id))!;
      const state = String(t.state) as TrialState;
      if (!STATES.includes(state))
        throw new SpaxError(`trial ${t.number} has an unknown state ${formatValue(t.state)}`, {
          code: "invalid_state",
        });
      return Object.freeze({
        trialId: Number(t.trial_id),
        number: Number(t.number),
        state,
        values: b.values.length > 0 ? Object.freeze(b.values) : undefined,
        datetimeStart: parseDatetime(t.datetime_start),
        datetimeComplete: parseDatetime(t.datetime_complete),
        params: Object.freeze(b.params),
        distributions: Object.freeze(b.distributions),
        userAttrs: Object.freeze(b.user),
        systemAttrs: Object.freeze(b.system),
        intermediateValues: b.intermediate,
      });
    });
  }

  /** The database's clock, as naive local time (PostgreSQL: the server's; SQLite: this machine's). */
  private now(): string {
    return this.driver.dialect === "postgresql" ? "LOCALTIMESTAMP" : "?";
  }

  async recordHeartbeat(trialId: number): Promise<void> {
    await this.driver.transaction(async (q) => {
      const rows = await q.all("SELECT state FROM trials WHERE trial_id = ?", [trialId]);
      if (rows.length === 0)
        throw new NotFoundError(`no trial with id ${formatValue(trialId)}`, {
          code: "trial_not_found",
        });
      if (rows[0]!.state !== "RUNNING") return;
      const args =
        this.driver.dialect === "postgresql" ? [trialId] : [trialId, formatDatetime(new Date())];
      await q.run(
        `INSERT INTO trial_heartbeats (trial_id, heartbeat) VALUES (?, ${this.now()}) ON CONFLICT (trial_id) DO UPDATE SET heartbeat = excluded.heartbeat`,
        args,
      );
    });
  }

  async failStaleTrials(studyId: number, graceSeconds: number): Promise<FrozenTrial[]> {
    const staleIds = await this.driver.transaction(async (q) => {
      await this.studyRow(q, studyId);
      const cutoff =
        this.driver.dialect === "postgresql" ? `LOCALTIMESTAMP - (? * INTERVAL '1 second')` : "?";
      const args =
        this.driver.dialect === "postgresql"
          ? [studyId, graceSeconds]
          : [studyId, formatDatetime(new Date(Date.now() - graceSeconds * 1000))];
      const rows = await q.all(
        `SELECT t.trial_id FROM trials t JOIN trial_heartbeats h ON h.trial_id = t.trial_id WHERE t.study_id = ? AND t.state = 'RUNNING' AND h.heartbeat < ${cutoff} ORDER BY t.trial_id`,
        args,
      );
      const ids = rows.map((r) => Number(r.trial_id));
      const failed: number[] = [];
      for (const id of ids) {
        // Guarded by the state, so a trial finishing right now (or failed by another worker) is left alone.
        const changed = await q.run(
          "UPDATE trials SET state = 'FAIL', datetime_complete = ? WHERE trial_id = ? AND state = 'RUNNING'",
          [formatDatetime(new Date()), id],
        );
        if (changed === 1) {
          failed.push(id);
          await this.writeAttr(q, "trial_system_attributes", id, "fail_reason", STALE_REASON);
        }
      }
      return failed;
    });
    if (staleIds.length === 0) return [];
    const trials = await this.driver.read((q) =>
      this.readTrials(q, `t.trial_id IN (${staleIds.map(() => "?").join(", ")})`, staleIds),
    );
    // Report them as they were when their worker died.
    return trials.map((t) =>
      Object.freeze({ ...t, state: "RUNNING" as TrialState, datetimeComplete: undefined }),
    );
  }

  async close(): Promise<void> {
    await this.driver.close();
  }
}
