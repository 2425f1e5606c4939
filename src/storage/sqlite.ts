/**
 * SQLite storage (`storage: "sqlite:runs/spax.db"`), on better-sqlite3, in Optuna's schema.
 *
 * Several processes may share one file: every write runs in a `BEGIN IMMEDIATE` transaction
 * (the write lock is taken up front, so two writers never deadlock upgrading read locks), a
 * busy timeout makes a writer wait for another's transaction, and a lock that outlasts it is
 * retried with backoff — "database is locked" never reaches the user unless another process
 * holds the lock for minutes. The file uses WAL journaling so readers never block writers.
 * @module
 */
import { SpaxError } from "../errors.js";
import { SPAX_VERSION } from "../version.js";
import { RdbStorage, type Row, type SqlDriver, type SqlQuery } from "./rdb/storage.js";

/** How long one attempt waits for another process's lock (SQLite's busy timeout), in ms. */
const BUSY_TIMEOUT_MS = 10_000;
/** Attempts before a persistent lock is reported. */
const LOCK_ATTEMPTS = 30;

type Database = import("better-sqlite3").Database;
type Statement = import("better-sqlite3").Statement;

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === "SQLITE_BUSY" || code === "SQLITE_LOCKED" || code === "SQLITE_BUSY_SNAPSHOT";
}

/** Resolves after `ms` milliseconds. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The cause a user can act on, for errors that are not locks (read-only file, full disk). */
function explain(error: unknown, file: string): SpaxError {
  const code = String((error as { code?: unknown })?.code ?? "");
  const why =
    code === "SQLITE_READONLY" || code === "SQLITE_CANTOPEN"
      ? "it cannot be written (read-only file or folder?)"
      : code === "SQLITE_FULL"
        ? "the disk is full"
        : code === "SQLITE_CORRUPT" || code === "SQLITE_NOTADB"
          ? "it is not a valid SQLite database"
          : (error as Error).message;
  return new SpaxError(`SQLite storage ${file}: ${why}`, { code: "storage_failed", cause: error });
}

class SqliteDriver implements SqlDriver {
  readonly dialect = "sqlite" as const;
  private readonly statements = new Map<string, Statement>();
  /** One transaction at a time on this connection (async callers interleave otherwise). */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly q: SqlQuery;

  constructor(
    private readonly db: Database,
    private readonly file: string,
  ) {
    const prepare = (sql: string) => {
      let s = this.statements.get(sql);
      if (!s) {
        s = this.db.prepare(sql);
        this.statements.set(sql, s);
      }
      return s;
    };
    const bind = (params: readonly unknown[] = []) =>
      params.map((p) => (p === undefined ? null : p));
    this.q = {
      all: async (sql, params) => prepare(sql).all(...bind(params)) as Row[],
      run: async (sql, params) => prepare(sql).run(...bind(params)).changes,
    };
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  transaction<T>(fn: (q: SqlQuery) => Promise<T>): Promise<T> {
    return this.serial(async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          this.db.exec("BEGIN IMMEDIATE");
        } catch (error) {
          if (isBusy(error) && attempt < LOCK_ATTEMPTS) {
            await sleep(Math.min(1000, 10 * 2 ** attempt) * (0.5 + Math.random()));
            continue;
          }
          if (isBusy(error)) {
            throw new SpaxError(
              `SQLite storage ${this.file}: another process has held the database lock for over ${Math.round((LOCK_ATTEMPTS * BUSY_TIMEOUT_MS) / 1000)} s`,
              { code: "storage_locked", cause: error },
            );
          }
          throw explain(error, this.file);
        }
        try {
          const out = await fn(this.q);
          this.db.exec("COMMIT");
          return out;
        } catch (error) {
          if (this.db.inTransaction) this.db.exec("ROLLBACK");
          if (error instanceof SpaxError) throw error;
          throw explain(error, this.file);
        }
      }
    });
  }

  read<T>(fn: (q: SqlQuery) => Promise<T>): Promise<T> {
    return this.serial(async () => {
      try {
        return await fn(this.q);
      } catch (error) {
        if (error instanceof SpaxError) throw error;
        throw explain(error, this.file);
      }
    });
  }

  async exec(sql: string): Promise<void> {
    await this.serial(async () => {
      try {
        this.db.exec(sql);
      } catch (error) {
        throw explain(error, this.file);
      }
    });
  }

  async close(): Promise<void> {
    await this.serial(async () => this.db.close());
  }
}

/**
 * Opens (creating if needed) a SQLite storage file.
 * @throws SpaxError when better-sqlite3 is not installed, or the file cannot be opened.
 * @example
 * const storage = await openSqliteStorage("runs/spax.db");
 */
export async function openSqliteStorage(file: string): Promise<RdbStorage> {
  let Database: typeof import("better-sqlite3");
  try {
    Database = (await import("better-sqlite3")).default;
  } catch (cause) {
    throw new SpaxError(
      "SQLite storage needs the better-sqlite3 package (npm install better-sqlite3@12)",
      {
        code: "missing_driver",
        cause,
      },
    );
  }
  let db: Database;
  try {
    db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    db.pragma("journal_mode = WAL");
  } catch (error) {
    throw explain(error, file);
  }
  return RdbStorage.open(new SqliteDriver(db, file), `spax ${SPAX_VERSION}`);
}
