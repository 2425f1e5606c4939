/**
 * Storage URLs: `"memory"`, `"sqlite:PATH"` (also SQLAlchemy's `sqlite:///relative.db` and
 * `sqlite:////absolute.db`), `"postgresql://user@host:5432/db"` (also `postgres://` and
 * `postgresql+psycopg2://`). Backends load lazily, so the database drivers are only needed by
 * those who use them.
 * @module
 */
import { formatValue, SpaxError } from "../errors.js";
import type { Storage } from "./base.js";
import { MemoryStorage } from "./memory.js";

/** Whether a value implements the storage contract. */
function isStorage(value: unknown): value is Storage {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Storage).createTrial === "function" &&
    typeof (value as Storage).getAllTrials === "function"
  );
}

/** The file a `sqlite:` URL names. */
export function sqlitePath(url: string): string {
  const rest = url.slice("sqlite:".length);
  if (rest.startsWith("///")) return rest.slice(3); // sqlite:///rel.db, sqlite:////abs.db
  if (rest.startsWith("//")) return rest.slice(2);
  return rest;
}

/**
 * A storage from a URL or an instance.
 * @throws SpaxError code `invalid_storage` for anything else, naming the accepted forms.
 * @example
 * const storage = await openStorage("sqlite:runs/spax.db");
 */
export async function openStorage(storage: Storage | string | undefined): Promise<Storage> {
  if (storage === undefined || storage === "memory") return new MemoryStorage();
  if (isStorage(storage)) return storage;
  if (typeof storage === "string" && storage.startsWith("sqlite:")) {
    const file = sqlitePath(storage);
    if (file === "")
      throw new SpaxError(
        `storage ${JSON.stringify(storage)} names no file (write sqlite:runs/spax.db)`,
        { code: "invalid_storage" },
      );
    const { openSqliteStorage } = await import("./sqlite.js");
    return openSqliteStorage(file);
  }
  if (typeof storage === "string" && /^postgres(ql)?(\+\w+)?:\/\//.test(storage)) {
    const { openPostgresStorage } = await import("./postgres.js");
    return openPostgresStorage(storage.replace(/^postgres(ql)?(\+\w+)?:/, "postgresql:"));
  }
  throw new SpaxError(
    `unknown storage ${formatValue(storage)}: expected "memory", "sqlite:PATH", "postgresql://user@host/db" or a Storage instance`,
    { code: "invalid_storage" },
  );
}
