// spax writes YAML that PyYAML (YAML 1.1, what SpaX reads with) loads to the same values as
// spax itself (YAML 1.2). Checked against the real PyYAML when a python3 with it is present.
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringifyData } from "../../src/io/text.js";

const python = ["python3", "/usr/bin/python3"].find(
  (cmd) => spawnSync(cmd, ["-c", "import yaml"], { encoding: "utf8" }).status === 0,
);

function pyyamlLoad(texts: string[]): unknown[] {
  const script =
    "import json, sys, yaml\nfor doc in json.load(sys.stdin):\n    print(json.dumps(yaml.safe_load(doc)))";
  const out = spawnSync(python!, ["-c", script], {
    input: JSON.stringify(texts),
    encoding: "utf8",
  });
  if (out.status !== 0) throw new Error(out.stderr);
  return out.stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
}

describe.skipIf(!python)("YAML written by spax, read by PyYAML", () => {
  it("numbers in exponent form stay numbers (1e-7 is written 1.0e-7)", () => {
    const data = { wd: 1e-7, eps: 1e-8, big: 1e21, neg: -2.5e-10, tiny: 5e-324, n: 5, half: 0.5 };
    const text = stringifyData(data, "yaml");
    expect(text).toContain("wd: 1.0e-7");
    expect(pyyamlLoad([text])).toStrictEqual([data]);
  });

  it("any JSON-like config reads back the same (YAML 1.1 look-alikes are quoted)", () => {
    const tricky = fc.constantFrom(
      "yes",
      "no",
      "on",
      "off",
      "y",
      "n",
      "~",
      "null",
      "1e-5",
      "1_000",
      "0777",
      "12:30",
      "2024-01-01",
      ".inf",
      "",
    );
    const value = fc.letrec((tie) => ({
      leaf: fc.oneof(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        tricky,
        fc.string(),
      ),
      node: fc.oneof(
        { depthSize: "small" },
        tie("leaf"),
        fc.array(tie("node"), { maxLength: 3 }),
        fc.dictionary(fc.oneof(tricky, fc.string({ minLength: 1 })), tie("node"), { maxKeys: 3 }),
      ),
    })).node;
    const samples = fc.sample(fc.dictionary(fc.string({ minLength: 1 }), value, { maxKeys: 4 }), {
      numRuns: 300,
      seed: 7,
    });
    // -0 has no JSON form; PyYAML and spax both read 0 for it.
    const normalised = samples.map((s) => JSON.parse(JSON.stringify(s)));
    // Compared as JSON text: toStrictEqual trips over own keys such as "constructor".
    const loaded = pyyamlLoad(normalised.map((s) => stringifyData(s, "yaml")));
    expect(loaded.map((v) => JSON.stringify(v))).toStrictEqual(
      normalised.map((v) => JSON.stringify(v)),
    );
  });
});
