// Regressions for what a new user found when trying to break spax from the README alone.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as sp from "../../src/index.js";
import { expectError } from "./helpers.js";

describe("conditions that can never hold are definition errors", () => {
  const A = sp.config("A", { a: sp.int({ ge: 0, le: 3 }) });
  const B = sp.config("B", { b: sp.int({ ge: 0, le: 3 }) });

  it("comparing a choice among configs with a config's name points to isConfig", () => {
    const e = expectError(
      () =>
        sp.config("X", {
          o: sp.categorical([A, B]),
          w: sp.conditional(sp.field("o").eq("A"), { true: "isA", false: "notA" }),
        }),
      sp.SpaxDefinitionError,
      "impossible_condition",
    );
    expect(e.message).toContain("isConfig(A)");
    // The right way works.
    const X = sp.config("X", {
      o: sp.categorical([A, B]),
      w: sp.conditional(sp.field("o").isConfig(A), { true: "isA", false: "notA" }),
    });
    expect(new Set(Array.from({ length: 30 }, (_, s) => X.random({ seed: s }).w))).toEqual(
      new Set(["isA", "notA"]),
    );
  });

  it("a value no branch of a conditional field can hold", () => {
    expectError(
      () =>
        sp.config("C", {
          b: sp.boolean(),
          c: sp.conditional(sp.field("b").eq(true), { true: sp.int({ ge: 1, le: 3 }), false: 0 }),
          d: sp.conditional(sp.field("c").eq(7), { true: 1, false: 2 }),
        }),
      sp.SpaxDefinitionError,
      "impossible_condition",
    );
  });
});

describe("files", () => {
  it("a comment-only (or blank) YAML override narrows nothing", () => {
    const dir = mkdtempSync(join(tmpdir(), "spax-"));
    const file = join(dir, "next.yaml");
    writeFileSync(file, "# everything commented out\n# lr: { ge: 1.0e-4 }\n");
    const S = sp.config("S", { lr: sp.float({ ge: 1e-5, le: 0.1, log: true }) });
    expect(S.narrow(sp.loadOverride(file)).toJSON()).toEqual(S.toJSON());
    expect(S.narrow(sp.parseOverride("", "yaml")).toJSON()).toEqual(S.toJSON());
  });

  it('parseOverride accepts "yml" and names the accepted formats otherwise', () => {
    expect(sp.parseOverride("a: 1\n", "yml" as never).data).toEqual({ a: 1 });
    const e = expectError(
      () => sp.parseOverride("a: 1\n", "xml" as never),
      sp.SpaxError,
      "unknown_format",
    );
    expect(e.message).toContain('"yaml"');
  });
});

describe("serializing predicates", () => {
  it("two different predicates under one label cannot be written", () => {
    const S = sp
      .config("S", { a: sp.int({ ge: 0, le: 9 }) })
      .refine((c) => c.a > 1, "check")
      .refine((c) => c.a < 9, "check");
    expectError(() => S.toJSON(), sp.SpaxDefinitionError, "ambiguous_function");
  });

  it("one config reused in two places writes its predicate once per place and reads back", () => {
    const odd = (c: { n: number }) => c.n % 2 === 1;
    const Inner = sp.config("Inner", { n: sp.int({ ge: 0, le: 9 }) }).refine(odd, "n is odd");
    const Outer = sp.config("Outer", { a: Inner, b: Inner });
    const back = sp.spaceFromJSON(JSON.parse(JSON.stringify(Outer.toJSON())), {
      functions: { "n is odd": odd as never },
    });
    expect(back.random({ seed: 3 })).toStrictEqual(Outer.random({ seed: 3 }));
  });
});

describe("definitions", () => {
  it("sp.choice rejects unknown options (a typo must not silently keep weight 1)", () => {
    expectError(
      () => sp.choice("a", { wieght: 5 } as never),
      sp.SpaxDefinitionError,
      "invalid_option",
    );
  });

  it('a plain object choice may not carry "__type__" (it marks configs)', () => {
    const A = sp.config("A", { lr: sp.float({ ge: 0, le: 1 }) });
    expectError(
      () => sp.categorical([{ __type__: "A", lr: 0.5 }, A]),
      sp.SpaxDefinitionError,
      "reserved_key",
    );
  });

  it("SpaX-style aliases honour log and name the call as written", () => {
    expect(sp.Float({ ge: 1e-5, le: 0.1, log: true } as never).log).toBe(true);
    expect(sp.Int({ ge: 1, le: 100, distribution: "log" }).log).toBe(true);
    expectError(
      () => sp.Float({ ge: 1e-5, le: 0.1, distribution: "uniform", log: true } as never),
      sp.SpaxDefinitionError,
      "invalid_option",
    );
    const e = expectError(
      () => sp.Float({ ge: 0, le: 1, distribution: "log" }),
      sp.SpaxDefinitionError,
      "log_needs_positive",
    );
    expect(e.message).toContain("sp.Float(");
    expect(e.message).toContain("distribution");
  });

  it("an int with log and step 1 is allowed (Optuna's default step)", () => {
    const S = sp.config("S", { n: sp.int({ ge: 1, le: 1000, log: true, step: 1 }) });
    expect(S.random({ seed: 0 })).toEqual({ n: 341 }); // as without step (SpaX vector F)
  });

  it("tiny float steps keep exact grid points inside the bounds", () => {
    const C = sp.config("C", { x: sp.float({ ge: 0, le: 1e-16, step: 1e-17 }) });
    const grid = [...C.grid()].map((c) => c.x);
    expect(grid).toHaveLength(11);
    expect(grid.at(-1)).toBe(1e-16);
    for (const x of grid) expect(C.parse({ x })).toEqual({ x });
    expect(C.parse({ x: 5e-17 })).toEqual({ x: 5e-17 });
    const D = sp.config("D", { x: sp.float({ ge: 0, le: 1e-19, step: 1e-20 }) });
    expect([...D.grid()].map((c) => c.x)).toContain(3e-20);
  });

  it("a field named like an Object.prototype member is not read from the prototype", () => {
    const S = sp.config("S", {
      toString: sp.int({ ge: 0, le: 3, default: 1 }),
      constructor: 5,
    } as never);
    expect((S as sp.ConfigSpace).parse({})).toStrictEqual({ toString: 1, constructor: 5 });
  });
});

describe("TOML files name lines too", () => {
  it("an override error in a TOML file names the file and line", () => {
    const dir = mkdtempSync(join(tmpdir(), "spax-"));
    const file = join(dir, "next.toml");
    writeFileSync(
      file,
      "# next\nlayers = 3\n\n[optimizer.Adam]\nlr = { ge = 1.0e-6, le = 0.01 }\n",
    );
    const Adam = sp.config("Adam", { lr: sp.float({ ge: 1e-5, le: 0.1, log: true }) });
    const S = sp.config("S", {
      layers: sp.int({ ge: 1, le: 8 }),
      optimizer: sp.categorical([Adam, null]),
    });
    const e = expectError(
      () => S.narrow(sp.loadOverride(file)),
      sp.SpaxOverrideError,
      "not_narrowing",
    );
    expect(e.message).toBe(
      `${file}:5: override.optimizer.Adam.lr: [1e-6, 0.01] is not inside [1e-5, 0.1]`,
    );
  });
});
