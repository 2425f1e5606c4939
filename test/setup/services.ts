// Says which service-backed suites run. Locally a missing server skips its suites (and this
// says so); in CI (SPAX_REQUIRE_SERVICES=1) a missing server fails the run instead.
export default function setup(): void {
  const missing: string[] = [];
  if (!process.env.SPAX_TEST_POSTGRES_URL) missing.push("PostgreSQL (set SPAX_TEST_POSTGRES_URL)");
  if (missing.length === 0) return;
  if (process.env.SPAX_REQUIRE_SERVICES) {
    throw new Error(`required test services are not configured: ${missing.join("; ")}`);
  }
  console.warn(`\n[spax] skipping suites that need: ${missing.join("; ")}\n`);
}
