/** PostgreSQL test plumbing: the server URL, and a fresh schema per storage. */
import pg from "pg";

/** The test server's URL, or `undefined` (suites then skip, saying why). */
export function postgresUrl(): string | undefined {
  return process.env.SPAX_TEST_POSTGRES_URL || undefined;
}

let counter = 0;

/**
 * Creates an empty schema and returns a URL whose connections use it (via the `options`
 * parameter setting `search_path`), so each test starts from an empty database.
 */
export async function withFreshSchema(url: string): Promise<string> {
  const schema = `spax_test_${process.pid}_${Date.now()}_${counter++}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await client.end();
  }
  const u = new URL(url);
  u.searchParams.set("options", `-c search_path=${schema}`);
  return u.toString();
}
