/**
 * PostgreSQL storage (`storage: "postgresql://user@host:5432/db"`), on `pg`, in Optuna's
 * schema: any number of worker processes on any machines share a study. Trial numbers are
 * assigned under a row lock on the study (as Optuna does), the queue is popped with
 * `FOR UPDATE SKIP LOCKED`, and transactions that hit a deadlock, a serialization failure or a
 * dropped connection are retried on a fresh connection (a restarted server is reconnected to).
 * @module
 */
import { SpaxError } from "../errors.js";
import { SPAX_VERSION } from "../version.js";
import { RdbStorage, type Row, type SqlDriver, type SqlQuery } from "./rdb/storage.js";

type Pool = import("pg").Pool;
type PoolClient = import("pg").PoolClient;

/** Attempts of one transaction before a connection or lock problem is reported. */
const ATTEMPTS = 8;

/** `?` placeholders → `$1, $2, …` (none of spax's SQL has a `?` inside a literal). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** Errors worth retrying on a fresh connection: deadlocks, serialization, the server going away. */
function transient(error: unknown): boolean {
  const code = String((error as { code?: unknown })?.code ?? "");
  return (
    code === "40001" || // serialization_failure
    code === "40P01" || // deadlock_detected
    code === "57P01" || // admin_shutdown
    code === "57P02" ||
    code === "57P03" || // cannot_connect_now (starting up)
    code.startsWith("08") || // connection exceptions
    code === "ECONNREFUSED" ||
    code === "ECONNRESET" ||
    code === "EPIPE" ||
    code === "ETIMEDOUT" ||
    /Connection terminated|connection timeout|Client has encountered a connection error/i.test(
      (error as Error)?.message ?? "",
    )
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

class PostgresDriver implements SqlDriver {
  readonly dialect = "postgresql" as const;

  constructor(
    private readonly pool: Pool,
    private readonly where: string,
  ) {}

  private query(client: PoolClient): SqlQuery {
    const convert = (params: readonly unknown[] = []) =>
      params.map((p) => (p === undefined ? null : p));
    return {
      all: async (sql, params) =>
        (await client.query(numbered(sql), convert(params))).rows as Row[],
      run: async (sql, params) =>
        (await client.query(numbered(sql), convert(params))).rowCount ?? 0,
    };
  }

  private async withClient<T>(transactional: boolean, fn: (q: SqlQuery) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let client: PoolClient | undefined;
      let broken = false;
      try {
        client = await this.pool.connect();
        if (transactional) await client.query("BEGIN");
        const out = await fn(this.query(client));
        if (transactional) await client.query("COMMIT");
        return out;
      } catch (error) {
        if (client && transactional) await client.query("ROLLBACK").catch(() => (broken = true));
        if (error instanceof SpaxError) throw error;
        if ((error as { code?: unknown })?.code === "23505") {
          throw new SpaxError(`PostgreSQL storage ${this.where}: ${(error as Error).message}`, {
            code: "unique_violation",
            cause: error,
          });
        }
        if (transient(error) && attempt < ATTEMPTS) {
          broken = true;
          await sleep(Math.min(5000, 50 * 2 ** attempt) * (0.5 + Math.random()));
          continue;
        }
        throw new SpaxError(`PostgreSQL storage ${this.where}: ${(error as Error).message}`, {
          code: transient(error) ? "storage_unavailable" : "storage_failed",
          cause: error,
        });
      } finally {
        // A connection that failed is dropped rather than reused.
        client?.release(broken || undefined);
      }
    }
  }

  transaction<T>(fn: (q: SqlQuery) => Promise<T>): Promise<T> {
    return this.withClient(true, fn);
  }

  read<T>(fn: (q: SqlQuery) => Promise<T>): Promise<T> {
    return this.withClient(false, fn);
  }

  async exec(sql: string): Promise<void> {
    // Two processes creating the schema at once can race on CREATE TYPE/TABLE: serialize them
    // with an advisory lock.
    await this.withClient(true, async (q) => {
      await q.all("SELECT pg_advisory_xact_lock(31415926)");
      await q.run(sql);
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/**
 * Opens a PostgreSQL storage, creating Optuna's tables if needed.
 * @throws SpaxError when `pg` is not installed or the server cannot be reached.
 * @example
 * const storage = await openPostgresStorage("postgresql://postgres@127.0.0.1:5432/test");
 */
export async function openPostgresStorage(url: string): Promise<RdbStorage> {
  let Pool: typeof import("pg").Pool;
  try {
    Pool = (await import("pg")).default.Pool;
  } catch (cause) {
    throw new SpaxError("PostgreSQL storage needs the pg package (npm install pg)", {
      code: "missing_driver",
      cause,
    });
  }
  const where = url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
  const pool = new Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 10_000 });
  // An idle connection dropped by a restarting server must not crash the process.
  pool.on("error", () => {});
  return RdbStorage.open(new PostgresDriver(pool, where), `spax ${SPAX_VERSION}`);
}
