// The storage conformance suite on a SQLite file (better-sqlite3).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStorage } from "../../src/storage/sqlite.js";
import { describeStorage } from "./conformance.js";

const dir = mkdtempSync(join(tmpdir(), "spax-sqlite-"));
let n = 0;
describeStorage("sqlite", { create: () => openSqliteStorage(join(dir, `s${n++}.db`)) });
