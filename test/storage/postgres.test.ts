// The storage conformance suite on PostgreSQL, when SPAX_TEST_POSTGRES_URL names a server
// (CI sets it; locally: SPAX_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/test).
// Each test gets a fresh schema, so runs never see each other's studies.
import { openPostgresStorage } from "../../src/storage/postgres.js";
import { describeStorage } from "./conformance.js";
import { postgresUrl, withFreshSchema } from "./postgres-helpers.js";

const url = postgresUrl();
describeStorage("postgresql", {
  create: async () => openPostgresStorage(await withFreshSchema(url!)),
  ...(url ? {} : { skip: "SPAX_TEST_POSTGRES_URL is not set" }),
});
