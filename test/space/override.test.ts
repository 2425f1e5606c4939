import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as sp from "../../src/index.js";
import { expectError, JUNK, seeds, thrown } from "./helpers.js";

const Adam = sp.config("Adam", { beta: sp.float({ ge: 0.8, le: 0.999 }) });
const Sgd = sp.config("Sgd", { momentum: sp.float({ ge: 0, le: 0.99 }) });
const Model = sp.config("Model", {
  depth: sp.int({ ge: 1, le: 12, default: 6 }),
  act: sp.categorical(["relu", "gelu", "silu"]),
});
const T = sp.config("T", {
  learningRate: sp.float({ ge: 1e-5, le: 0.1 }),
  logRate: sp.float({ ge: 1e-5, le: 0.1, log: true }),
  batchSize: sp.int({ ge: 1, le: 128 }),
  units: sp.int({ ge: 1, le: 100, default: 50 }),
  opt: sp.categorical([
    sp.choice("adam", { weight: 3 }),
    sp.choice("sgd", { weight: 2 }),
    "rmsprop",
  ]),
  sched: sp.categorical([Adam, Sgd, null]),
  model: Model,
  useDropout: sp.boolean(),
  dropoutRate: sp.conditional(sp.field("useDropout").eq(true), {
    true: sp.float({ ge: 0.1, le: 0.5 }),
    false: 0,
  }),
  name: "baseline",
  ratio: sp.float({ ge: 0, le: 1 }),
});

/** The JSON form of one field of the narrowed space. */
function fieldJson(C: sp.ConfigSpace, name: string): unknown {
  return C.toJSON().space.fields.find((f) => f.name === name)!.space;
}

describe("override: scalars and one-element lists fix a field", () => {
  it("a scalar fixes a number", () => {
    const N = T.narrow({ learningRate: 1e-3 });
    expect(fieldJson(N, "learningRate")).toEqual({ type: "fixed", value: 1e-3 });
    for (const seed of seeds(5)) expect(N.random({ seed }).learningRate).toBe(1e-3);
  });

  it("a one-element list fixes a number", () => {
    expect(fieldJson(T.narrow({ batchSize: [32] }), "batchSize")).toEqual({
      type: "fixed",
      value: 32,
    });
  });

  it("a scalar or one-element list fixes a categorical", () => {
    expect(fieldJson(T.narrow({ opt: "sgd" }), "opt")).toEqual({ type: "fixed", value: "sgd" });
    expect(fieldJson(T.narrow({ opt: ["sgd"] }), "opt")).toEqual({ type: "fixed", value: "sgd" });
    expect(fieldJson(T.narrow({ useDropout: false }), "useDropout")).toEqual({
      type: "fixed",
      value: false,
    });
  });

  it("a fixed field draws nothing: the rest samples as if the field were fixed in code", () => {
    const N = T.narrow({ opt: ["adam"] });
    const shape = Object.fromEntries(T.fields.map((f) => [f.name, f.space]));
    const F = sp.config("T", { ...shape, opt: "adam" } as never) as sp.ConfigSpace;
    for (const seed of seeds(5)) expect(N.random({ seed })).toEqual(F.random({ seed }));
  });

  it("a fixed value must lie in the base space", () => {
    expectError(
      () => T.narrow({ learningRate: 1 }),
      sp.SpaxOverrideError,
      "not_narrowing",
      "override.learningRate: 1 is not inside [1e-5, 0.1]",
    );
  });

  it("null fixes a choice among configs to null", () => {
    expect(fieldJson(T.narrow({ sched: null }), "sched")).toEqual({ type: "fixed", value: null });
  });
});

describe("override: lists", () => {
  it("a categorical subset keeps the weights of the kept choices (SpaX defect 3)", () => {
    const N = T.narrow({ opt: ["adam", "sgd"] });
    expect(fieldJson(N, "opt")).toEqual({
      type: "categorical",
      choices: [
        { value: "adam", weight: 3 },
        { value: "sgd", weight: 2 },
      ],
    });
  });

  it("a categorical subset may reorder choices; sampling stays inside the subset", () => {
    const N = T.narrow({ opt: ["rmsprop", "sgd"] });
    const seen = new Set(seeds(50).map((seed) => N.random({ seed }).opt));
    expect(seen).toEqual(new Set(["rmsprop", "sgd"]));
  });

  it("a list of numbers turns a number into a categorical of those numbers", () => {
    const N = T.narrow({ batchSize: [16, 32, 64] });
    expect(fieldJson(N, "batchSize")).toEqual({
      type: "categorical",
      choices: [{ value: 16 }, { value: 32 }, { value: 64 }],
    });
    expect(new Set(seeds(60).map((seed) => N.random({ seed }).batchSize))).toEqual(
      new Set([16, 32, 64]),
    );
    expect(N.parameterNames()).toContain("T.batchSize");
    expect(N.safeParse({ ...N.random({ seed: 1 }), batchSize: 17 }).success).toBe(false);
  });

  it("a float list is a grid the sampler sees as a categorical", () => {
    const N = T.narrow({ learningRate: [1e-4, 1e-3, 1e-2] });
    expect(new Set(seeds(60).map((seed) => N.random({ seed }).learningRate))).toEqual(
      new Set([1e-4, 1e-3, 1e-2]),
    );
  });

  it("list values must lie in the base range; the error names the index", () => {
    expectError(
      () => T.narrow({ logRate: [1e-6, 1e-3] }),
      sp.SpaxOverrideError,
      "not_narrowing",
      "override.logRate[0]: 1e-6 is not inside [1e-5, 0.1]",
    );
  });

  it("a config choice subset by name, keeping null", () => {
    const N = T.narrow({ sched: ["Adam", null] });
    const seen = new Set(
      seeds(40).map((seed) => {
        const s = N.random({ seed }).sched;
        return s === null ? null : s.__type__;
      }),
    );
    expect(seen).toEqual(new Set(["Adam", null]));
  });

  it("a config name as a scalar keeps just that config (still searched inside)", () => {
    // The override type does not list config names for a scalar (a typing gap), hence the cast.
    const N = T.narrow({ sched: "Sgd" as never });
    for (const seed of seeds(5))
      expect(N.random({ seed }).sched).toMatchObject({ __type__: "Sgd" });
    expect(N.parameterNames()).toContain("T.sched::Sgd.momentum");
    expect(N.parameterNames()).not.toContain("T.sched");
  });
});

describe("override: ranges", () => {
  it("{ ge, le } narrows a range and keeps the scale", () => {
    expect(fieldJson(T.narrow({ logRate: { ge: 1e-4, le: 1e-2 } }), "logRate")).toEqual({
      type: "float",
      ge: 1e-4,
      le: 1e-2,
      log: true,
    });
  });

  it("a partial range keeps the other bound", () => {
    expect(fieldJson(T.narrow({ logRate: { ge: 1e-4 } }), "logRate")).toEqual({
      type: "float",
      ge: 1e-4,
      le: 0.1,
      log: true,
    });
    expect(fieldJson(T.narrow({ batchSize: { lt: 64 } }), "batchSize")).toEqual({
      type: "int",
      ge: 1,
      lt: 64,
    });
  });

  it("{ step } adds a grid where it divides the range", () => {
    expect(fieldJson(T.narrow({ ratio: { step: 0.25 } }), "ratio")).toEqual({
      type: "float",
      ge: 0,
      le: 1,
      step: 0.25,
    });
    const N = T.narrow({ ratio: { ge: 0.2, le: 0.8, step: 0.2 } });
    expect(new Set(seeds(80).map((seed) => N.random({ seed }).ratio))).toEqual(
      new Set([0.2, 0.4, 0.6, 0.8]),
    );
  });

  it("a step that does not divide the range is an error", () => {
    expectError(
      () => T.narrow({ batchSize: { step: 5 } }),
      sp.SpaxOverrideError,
      "step_not_dividing",
      "override.batchSize: ",
      "step 5",
    );
  });

  it("int-aware containment: { gt: 0 } on int({ ge: 1 }) is not a widening (SpaX defect 10)", () => {
    const N = T.narrow({ batchSize: { gt: 0 } });
    expect(new Set(seeds(200).map((seed) => N.random({ seed }).batchSize >= 1))).toEqual(
      new Set([true]),
    );
    expect(() => T.narrow({ batchSize: { gt: 0, lt: 129 } })).not.toThrow();
    expect(() => T.narrow({ batchSize: { gt: -1 } })).toThrow(sp.SpaxOverrideError);
  });

  it("the default is kept when it is still inside (SpaX defect 2)", () => {
    const N = T.narrow({ units: { ge: 10, le: 60 } });
    expect(fieldJson(N, "units")).toEqual({ type: "int", ge: 10, le: 60, default: 50 });
    expect(N.parse({ ...N.random({ seed: 1 }), units: undefined }).units).toBe(50);
  });

  it("the default is dropped when it falls outside", () => {
    expect(fieldJson(T.narrow({ units: { ge: 60 } }), "units")).toEqual({
      type: "int",
      ge: 60,
      le: 100,
    });
  });

  it("a number list keeps the default when listed", () => {
    const N = T.narrow({ units: [10, 50] });
    expect(fieldJson(N, "units")).toMatchObject({ type: "categorical", default: 50 });
  });

  it("the narrowed range is what sampling and validation use", () => {
    const N = T.narrow({ batchSize: { ge: 60, le: 64 } });
    for (const seed of seeds(30)) {
      const b = N.random({ seed }).batchSize;
      expect(b).toBeGreaterThanOrEqual(60);
      expect(b).toBeLessThanOrEqual(64);
    }
    const base = N.random({ seed: 0 });
    expect(N.safeParse({ ...base, batchSize: 10 }).success).toBe(false);
  });
});

describe("override: nested configs, config choices, conditionals", () => {
  it("an object narrows a nested config", () => {
    const N = T.narrow({ model: { depth: 3, act: ["relu", "gelu"] } });
    expect(fieldJson(N, "model")).toEqual({
      type: "config",
      name: "Model",
      fields: [
        { name: "depth", space: { type: "fixed", value: 3 } },
        {
          name: "act",
          space: { type: "categorical", choices: [{ value: "relu" }, { value: "gelu" }] },
        },
      ],
    });
  });

  it("{ ConfigName: {...} } narrows one config choice and keeps only the named ones", () => {
    const N = T.narrow({ sched: { Adam: { beta: { ge: 0.9 } } } });
    expect(fieldJson(N, "sched")).toEqual({
      type: "categorical",
      choices: [
        {
          config: {
            type: "config",
            name: "Adam",
            fields: [{ name: "beta", space: { type: "float", ge: 0.9, le: 0.999 } }],
          },
        },
      ],
    });
  });

  it("{ A: {...}, B: {} } keeps both, narrowing only A", () => {
    const N = T.narrow({ sched: { Adam: { beta: 0.9 }, Sgd: {} } });
    expect(N.parameterNames()).toEqual(
      expect.arrayContaining(["T.sched", "T.sched::Sgd.momentum"]),
    );
    expect(N.parameterNames()).not.toContain("T.sched::Adam.beta");
  });

  it("a list item { ConfigName: {...} } narrows that choice", () => {
    const N = T.narrow({ sched: [{ Sgd: { momentum: [0.9] } }, null] });
    for (const seed of seeds(20)) {
      const s = N.random({ seed }).sched;
      if (s !== null) expect(s).toEqual({ momentum: 0.9, __type__: "Sgd" });
    }
  });

  it("{ true, false } narrows a conditional's branches", () => {
    const N = T.narrow({ dropoutRate: { true: { le: 0.3 } } });
    expect(fieldJson(N, "dropoutRate")).toEqual({
      type: "conditional",
      condition: { field: "useDropout", op: "eq", value: true },
      true: { type: "float", ge: 0.1, le: 0.3 },
      false: { type: "fixed", value: 0 },
    });
  });

  it("a field not mentioned keeps its full space", () => {
    const N = T.narrow({ batchSize: 8 });
    for (const f of T.fields) {
      if (f.name === "batchSize") continue;
      expect(fieldJson(N, f.name)).toEqual(fieldJson(T, f.name));
    }
  });

  it("fixing the field a condition reads makes the branch constant", () => {
    const N = T.narrow({ useDropout: false });
    for (const seed of seeds(10)) expect(N.random({ seed }).dropoutRate).toBe(0);
    expect(N.parameterNames()).not.toContain("T.useDropout");
  });

  it("an empty override object changes nothing", () => {
    expect(T.narrow({}).toJSON()).toEqual(T.toJSON());
  });
});

describe("override: errors", () => {
  const OE = sp.SpaxOverrideError;

  it("widening a range: the SPEC message", () => {
    const e = expectError(() => T.narrow({ learningRate: { ge: 1e-6 } }), OE, "not_narrowing");
    expect(e.message).toBe("override.learningRate: [1e-6, 0.1] is not inside [1e-5, 0.1]");
    expect(e.path).toBe("override.learningRate");
  });

  it("widening a log range names the scale", () => {
    const e = thrown(() => T.narrow({ logRate: { ge: 1e-6 } }));
    expect(e.message).toBe("override.logRate: [1e-6, 0.1] is not inside [1e-5, 0.1]");
  });

  it("widening the upper bound, or making an exclusive bound inclusive", () => {
    expectError(() => T.narrow({ batchSize: { le: 129 } }), OE, "not_narrowing", "[1, 129]");
    const E = sp.config("E", { v: sp.float({ gt: 0, lt: 1 }) });
    expectError(() => E.narrow({ v: { ge: 0 } }), OE, "not_narrowing", "[0, 1)", "(0, 1)");
  });

  it("an unknown field", () => {
    const e = expectError(
      () => T.narrow({ nope: 1 } as never),
      OE,
      "unknown_field",
      "override.nope",
    );
    expect(e.message).toContain("learningRate");
    expectError(
      () => T.narrow({ model: { width: 1 } } as never),
      OE,
      "unknown_field",
      "override.model.width",
    );
  });

  it("fixing a fixed field (even to its own value)", () => {
    expectError(() => T.narrow({ name: "other" } as never), OE, "fixed_field", "override.name");
    expectError(() => T.narrow({ name: "baseline" } as never), OE, "fixed_field");
    expectError(
      () => T.narrow({ dropoutRate: { false: 0.1 } }),
      OE,
      "fixed_field",
      "override.dropoutRate.false",
    );
  });

  it("wrong types: 1.5 for an int, '1' or true for a number", () => {
    expectError(
      () => T.narrow({ batchSize: 1.5 }),
      OE,
      "not_narrowing",
      "override.batchSize: 1.5",
      "integer",
    );
    expectError(
      () => T.narrow({ learningRate: "1" } as never),
      OE,
      "invalid_type",
      'override.learningRate: expected a number, a list of them or a range { ge, le }, got "1"',
    );
    expectError(() => T.narrow({ learningRate: true } as never), OE, "invalid_type", "got true");
    expectError(
      () => T.narrow({ batchSize: [16, "32"] } as never),
      OE,
      "invalid_type",
      "override.batchSize[1]",
    );
  });

  it("wrong types for a categorical: 1 for a boolean, an unknown choice", () => {
    expectError(
      () => T.narrow({ useDropout: 1 } as never),
      OE,
      "not_in_choices",
      "override.useDropout",
    );
    expectError(
      // @ts-expect-error "adamw" is not a choice, which the override type already knows
      () => T.narrow({ opt: "adamw" }),
      OE,
      "not_in_choices",
      "'adam', 'sgd', 'rmsprop'",
    );
    expectError(
      () => T.narrow({ opt: ["adam", "adamw"] }),
      OE,
      "not_in_choices",
      "override.opt[1]",
    );
    expectError(() => T.narrow({ sched: { Rms: {} } }), OE, "not_in_choices", "override.sched.Rms");
  });

  it("an empty list", () => {
    expectError(() => T.narrow({ batchSize: [] }), OE, "empty_override", "cannot be empty");
    expectError(() => T.narrow({ opt: [] }), OE, "empty_override");
  });

  it("duplicates in a list", () => {
    expectError(
      () => T.narrow({ opt: ["adam", "adam"] }),
      OE,
      "duplicate_choice",
      "override.opt[1]",
    );
    expectError(() => T.narrow({ batchSize: [2, 2] }), OE, "duplicate_choice");
  });

  it("changing log", () => {
    expectError(
      () => T.narrow({ logRate: { ge: 1e-4, log: false } }),
      OE,
      "scale_change",
      "override.logRate.log",
    );
    expectError(() => T.narrow({ learningRate: { log: true } }), OE, "scale_change");
  });

  it("malformed ranges", () => {
    expectError(() => T.narrow({ logRate: { ge: 1e-4, gt: 1e-4 } }), OE, "two_lower_bounds");
    expectError(() => T.narrow({ logRate: { le: 1e-6 } }), OE, "empty_range");
    expectError(() => T.narrow({ logRate: { ge: Number.NaN } }), OE, "invalid_type", "NaN");
    expectError(
      () => T.narrow({ logRate: { min: 1 } } as never),
      OE,
      "unknown_field",
      "override.logRate.min",
    );
    expectError(() => T.narrow({ batchSize: { ge: 10.5 } }), OE, "invalid_bound", "10.5");
  });

  it("a nested override on a plain value", () => {
    expectError(
      () => T.narrow({ opt: { adam: { x: 1 } } } as never),
      OE,
      "invalid_override",
      "not a config",
    );
  });

  it("a scalar for a conditional field says to fix the field its condition reads", () => {
    expectError(
      () => T.narrow({ dropoutRate: 0.3 } as never),
      OE,
      "invalid_override",
      "useDropout == true",
    );
    expectError(() => T.narrow({ dropoutRate: { maybe: 1 } } as never), OE, "unknown_field");
  });

  it("a branch override must narrow the branch", () => {
    expectError(
      () => T.narrow({ dropoutRate: { true: 0.6 } }),
      OE,
      "not_narrowing",
      "override.dropoutRate.true: 0.6 is not inside [0.1, 0.5]",
    );
  });

  it("junk as the whole override", () => {
    for (const [label, junk] of JUNK) {
      if (label === "empty object" || label === "null-prototype object") continue;
      const e = thrown(() => T.narrow(junk as never));
      expect(e, label).toBeInstanceOf(OE);
      expect(e.message.startsWith("override: "), label).toBe(true);
    }
  });

  it("junk as a field override is a SpaxOverrideError", () => {
    for (const field of ["learningRate", "opt", "sched", "model", "dropoutRate", "useDropout"]) {
      for (const [label, junk] of JUNK) {
        if (label === "undefined") continue; // an undefined key is "not mentioned"
        let error: unknown;
        try {
          T.narrow({ [field]: junk } as never);
        } catch (e) {
          error = e;
        }
        // Some junk is a valid override for some fields ({} for a config, "x" nowhere, …).
        if (error !== undefined) {
          expect(error, `${field} = ${label}`).toBeInstanceOf(OE);
          expect(
            (error as Error).message.startsWith(`override.${field}`),
            `${field} = ${label}`,
          ).toBe(true);
        }
      }
    }
  });
});

describe("narrow() and the original", () => {
  it("narrow returns a new space and leaves the original untouched", () => {
    const before = JSON.stringify(T.toJSON());
    const N = T.narrow({ learningRate: { ge: 1e-3 }, opt: ["adam"], model: { depth: 2 } });
    expect(N).not.toBe(T);
    expect(JSON.stringify(T.toJSON())).toBe(before);
    expect(T.random({ seed: 3 })).toEqual(sp.spaceFromJSON(JSON.parse(before)).random({ seed: 3 }));
  });

  it("narrowing twice composes, and the second must narrow the first", () => {
    const N = T.narrow({ batchSize: { ge: 10, le: 20 } }).narrow({ batchSize: { ge: 12 } });
    expect(fieldJson(N, "batchSize")).toEqual({ type: "int", ge: 12, le: 20 });
    expect(() =>
      T.narrow({ batchSize: { ge: 10, le: 20 } }).narrow({ batchSize: { le: 30 } }),
    ).toThrow(sp.SpaxOverrideError);
  });

  it("random/tree/parameterNames/grid accept { override } like narrow()", () => {
    const o = { batchSize: 8, opt: ["adam"] } as const;
    expect(T.random({ seed: 4, override: o })).toEqual(T.narrow(o).random({ seed: 4 }));
    expect(T.tree({ override: o })).toBe(T.narrow(o).tree());
    expect(T.parameterNames({ override: o })).toEqual(T.narrow(o).parameterNames());
  });
});

describe("overrideTemplate()", () => {
  it("lists every searched field with its range or choices; fixed fields are left out", () => {
    const C = sp.config("C", {
      lr: sp.float({ ge: 1e-5, le: 0.1, log: true }),
      n: sp.int({ gt: 0, lt: 10 }),
      s: sp.float({ ge: 0, le: 1, step: 0.5 }),
      opt: sp.categorical(["adam", "sgd"]),
      name: "x",
    });
    expect(C.overrideTemplate()).toEqual({
      lr: { ge: 1e-5, le: 0.1 },
      n: { gt: 0, lt: 10 },
      s: { ge: 0, le: 1, step: 0.5 },
      opt: ["adam", "sgd"],
    });
  });

  it("nested configs, choices among configs (vector E shape) and conditionals", () => {
    const A = sp.config("A", { a: sp.int({ ge: 0, le: 10 }) });
    const B = sp.config("B", { b: sp.float({ ge: 0, le: 1 }) });
    const Main = sp.config("Main", { choice: sp.categorical([A, B]) });
    expect(Main.overrideTemplate()).toEqual({
      choice: { A: { a: { ge: 0, le: 10 } }, B: { b: { ge: 0, le: 1 } } },
    });
    const t = T.overrideTemplate();
    expect(t.model).toEqual({ depth: { ge: 1, le: 12 }, act: ["relu", "gelu", "silu"] });
    expect(t.dropoutRate).toEqual({ true: { ge: 0.1, le: 0.5 } });
    expect("name" in t).toBe(false);
  });

  it("a conditional with both branches fixed is left out", () => {
    const C = sp.config("C", {
      n: sp.int({ ge: 1, le: 32 }),
      ck: sp.conditional(sp.field("n").gt(8), { true: true, false: false }),
    });
    expect(C.overrideTemplate()).toEqual({ n: { ge: 1, le: 32 } });
  });

  it("feeding the template back gives an equal space", () => {
    const spaces: sp.ConfigSpace[] = [T, T.narrow({ sched: ["Adam", null] }), Model];
    for (const S of spaces) {
      const again = S.narrow(S.overrideTemplate() as never);
      expect(again.toJSON()).toEqual(S.toJSON());
      expect(again.random({ seed: 11 })).toEqual(S.random({ seed: 11 }));
    }
  });

  it("the template survives a trip through YAML and back as an override file", () => {
    const yaml = `model:\n  depth:\n    ge: 1\n    le: 12\nopt: [adam, sgd, rmsprop]\n`;
    const N = T.narrow(sp.parseOverride(yaml, "yaml"));
    expect(N.toJSON()).toEqual(T.toJSON());
  });
});

describe("sp.loadOverride(path)", () => {
  const dir = mkdtempSync(join(tmpdir(), "spax-override-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  const expected = (C: sp.ConfigSpace) => ({
    logRate: fieldJson(C, "logRate"),
    opt: fieldJson(C, "opt"),
    model: fieldJson(C, "model"),
  });
  const byCode = T.narrow({ logRate: { ge: 1e-4 }, opt: ["adam", "sgd"], model: { depth: 3 } });

  it("reads YAML", () => {
    const path = write("ok.yaml", "logRate:\n  ge: 1e-4\nopt: [adam, sgd]\nmodel:\n  depth: 3\n");
    expect(expected(T.narrow(sp.loadOverride(path)))).toEqual(expected(byCode));
  });

  it("reads JSON", () => {
    const path = write(
      "ok.json",
      '{\n  "logRate": { "ge": 1e-4 },\n  "opt": ["adam", "sgd"],\n  "model": { "depth": 3 }\n}\n',
    );
    expect(expected(T.narrow(sp.loadOverride(path)))).toEqual(expected(byCode));
  });

  it("reads TOML", () => {
    const path = write(
      "ok.toml",
      'opt = ["adam", "sgd"]\n\n[logRate]\nge = 1e-4\n\n[model]\ndepth = 3\n',
    );
    expect(expected(T.narrow(sp.loadOverride(path)))).toEqual(expected(byCode));
  });

  it("YAML 1e-5 is a number, not a string", () => {
    const path = write("num.yaml", "logRate:\n  ge: 1e-4\n  le: 1e-2\n");
    expect(fieldJson(T.narrow(sp.loadOverride(path)), "logRate")).toEqual({
      type: "float",
      ge: 1e-4,
      le: 1e-2,
      log: true,
    });
  });

  it("works as { override } for random()", () => {
    const path = write("fix.yaml", "opt: sgd\nbatchSize: 8\n");
    const c = T.random({ seed: 1, override: sp.loadOverride(path) });
    expect(c.opt).toBe("sgd");
    expect(c.batchSize).toBe(8);
  });

  it("malformed files are SpaxSyntaxErrors naming the file and line", () => {
    const cases: [string, string, number][] = [
      ["bad.yaml", "opt: [adam\nbatchSize: 8\n", 2],
      ["bad.json", '{\n  "opt": ["adam"],\n  "batchSize": ,\n}\n', 3],
      ["bad.toml", 'opt = ["adam"]\nbatchSize = = 8\n', 2],
    ];
    for (const [name, text, line] of cases) {
      const path = write(name, text);
      const e = thrown(() => sp.loadOverride(path));
      expect(e, name).toBeInstanceOf(sp.SpaxSyntaxError);
      expect(e.file).toBe(path);
      expect(e.line, name).toBe(line);
      expect(e.message.startsWith(`${path}:${line}:`)).toBe(true);
    }
  });

  it("a semantic error in a YAML file names the file and the line of the entry", () => {
    const path = write("deep.yaml", "opt: [adam]\nmodel:\n  act: relu\n  depth: 30\n");
    const e = expectError(
      () => T.narrow(sp.loadOverride(path)),
      sp.SpaxOverrideError,
      "not_narrowing",
    );
    expect(e.file).toBe(path);
    expect(e.line).toBe(4);
    expect(e.message).toBe(`${path}:4: override.model.depth: 30 is not inside [1, 12]`);
  });

  it("a semantic error in a JSON file names the file and the line of the entry", () => {
    const path = write("deep.json", '{\n  "opt": ["adam"],\n  "nope": 1\n}\n');
    const e = expectError(
      () => T.narrow(sp.loadOverride(path)),
      sp.SpaxOverrideError,
      "unknown_field",
    );
    expect(e.line).toBe(3);
    expect(e.message.startsWith(`${path}:3: override.nope: unknown field`)).toBe(true);
  });

  it("a semantic error in a TOML file names the file", () => {
    const path = write("deep.toml", "[model]\ndepth = 30\n");
    const e = expectError(
      () => T.narrow(sp.loadOverride(path)),
      sp.SpaxOverrideError,
      "not_narrowing",
    );
    expect(e.file).toBe(path);
    expect(e.message).toContain(path);
    expect(e.message).toContain("override.model.depth: 30 is not inside [1, 12]");
  });

  it("a file whose top level is not an object", () => {
    const path = write("list.yaml", "- 1\n- 2\n");
    expectError(() => sp.loadOverride(path), sp.SpaxOverrideError, "invalid_override", path);
  });

  it("a missing file or an unknown extension is a SpaxError naming the file", () => {
    const missing = join(dir, "missing.yaml");
    expectError(() => sp.loadOverride(missing), sp.SpaxError, "file_not_found", missing);
    const txt = write("o.txt", "opt: adam\n");
    expectError(() => sp.loadOverride(txt), sp.SpaxError, "unknown_format", txt);
    expect(T.narrow(sp.loadOverride(txt, { format: "yaml" })).toJSON()).toEqual(
      T.narrow({ opt: "adam" }).toJSON(),
    );
  });

  it("junk paths and options are SpaxErrors, never TypeErrors", () => {
    for (const [label, junk] of JUNK) {
      const e = thrown(() => sp.loadOverride(junk as never));
      expect(e, label).toBeInstanceOf(sp.SpaxError);
    }
    const path = write("fine.yaml", "opt: adam\n");
    for (const [label, junk] of JUNK) {
      if (label === "undefined" || label === "empty object" || label === "null-prototype object")
        continue;
      let error: unknown;
      try {
        sp.loadOverride(path, junk as never);
      } catch (e) {
        error = e;
      }
      if (error !== undefined) expect(error, label).toBeInstanceOf(sp.SpaxError);
    }
  });

  it("sp.parseOverride of junk text is a SpaxError", () => {
    for (const [label, junk] of JUNK) {
      if (label === "string") continue;
      const e = thrown(() => sp.parseOverride(junk as never, "yaml"));
      expect(e, label).toBeInstanceOf(sp.SpaxError);
    }
  });
});
