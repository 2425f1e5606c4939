import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { SPAX_VERSION } from "../src/version.js";

it("SPAX_VERSION (written into storages) is package.json's version", () => {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  expect(SPAX_VERSION).toBe(pkg.version);
});
