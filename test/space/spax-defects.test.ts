/**
 * SpaX 0.2.0's known defects (reference/spax-python.md §11) that apply to spax: for each, a
 * test showing spax behaves right. The comment in each test says what SpaX did wrong.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as sp from "../../src/index.js";
import { RecordingSampler, seeds, thrown } from "./helpers.js";

describe("SpaX defects", () => {
  it("defect 1: conditionals nested in branches are ordered and checked", () => {
    // SpaX only ordered by each field's top-level condition: a nested condition reading a
    // later field raised AttributeError when sampled and RuntimeError when validated.
    const C = sp.config("C", {
      b: sp.conditional(sp.field("a").gt(1), {
        true: sp.conditional(sp.field("c").eq(true), { true: sp.int({ ge: 1, le: 3 }), false: 0 }),
        false: -1,
      }),
      a: sp.int({ ge: 0, le: 3 }),
      c: sp.boolean(),
    });
    expect(C.order.map((i) => C.fields[i]!.name)).toEqual(["a", "c", "b"]);
    for (const seed of seeds(30)) {
      const v = C.random({ seed });
      if (v.a <= 1) expect(v.b).toBe(-1);
      else if (!v.c) expect(v.b).toBe(0);
      else expect([1, 2, 3]).toContain(v.b);
      expect(C.parse(v)).toEqual(v);
    }
    // And nested conditions are checked at definition time too.
    expect(() =>
      sp.config("D", {
        a: sp.int({ ge: 0, le: 3 }),
        b: sp.conditional(sp.field("a").gt(1), {
          true: sp.conditional(sp.field("missing").eq(true), { true: 1, false: 0 }),
          false: -1,
        }),
      } as never),
    ).toThrow(sp.SpaxDefinitionError);
  });

  it("defect 2: a narrowed number keeps its default when still inside", () => {
    // SpaX's narrowed Number lost its default (validate failed on field_name=None, swallowed).
    const C = sp.config("C", {
      n: sp.int({ ge: 1, le: 100, default: 50 }),
      x: sp.int({ ge: 0, le: 1 }),
    });
    const N = C.narrow({ n: { ge: 10, le: 60 } });
    expect(N.parse({ x: 0 })).toEqual({ n: 50, x: 0 });
  });

  it("defect 3: categorical list and dict overrides keep weights", () => {
    // SpaX rebuilt the narrowed categorical with uniform weights.
    const A = sp.config("A", { a: sp.int({ ge: 0, le: 1 }) });
    const B = sp.config("B", { b: sp.int({ ge: 0, le: 1 }) });
    const C = sp.config("C", {
      o: sp.categorical([sp.choice("adam", { weight: 8 }), "sgd", "rms"]),
      k: sp.categorical([sp.choice(A, { weight: 5 }), B, null]),
    });
    const N = C.narrow({ o: ["adam", "sgd"], k: { A: {}, B: {} } });
    const json = N.toJSON().space.fields;
    expect(json[0]!.space).toMatchObject({
      choices: [
        { value: "adam", weight: 8 },
        { value: "sgd", weight: 1 },
      ],
    });
    expect(
      (json[1]!.space as { choices: { weight?: number }[] }).choices.map((c) => c.weight),
    ).toEqual([5, 1]);
    const adam = seeds(400).filter((seed) => N.random({ seed }).o === "adam").length;
    expect(adam).toBeGreaterThan(320); // 8:1 → ~89%; uniform would give ~50%
  });

  it("defect 4: 1 and '1' are distinct choices; real duplicates are rejected at definition", () => {
    // SpaX keyed choices by str(choice): 1 and "1" collided ("number of weights does not match
    // the population" at sampling), and duplicates were never checked.
    const C = sp.config("C", { v: sp.categorical([1, "1"]) });
    const seen = new Set(seeds(50).map((seed) => typeof C.random({ seed }).v));
    expect(seen).toEqual(new Set(["number", "string"]));
    expect(() => sp.categorical(["a", "a"])).toThrow(sp.SpaxDefinitionError);
  });

  it("defect 5: no Python equality leaks (True is not 1; bools are not ints)", () => {
    // SpaX: Categorical([1, 2]) accepted True; Int accepted/returned bool; number overrides
    // accepted bool.
    const C = sp.config("C", { c: sp.categorical([1, 2]), n: sp.int({ ge: 0, le: 3 }) });
    expect(C.safeParse({ c: true, n: 1 }).success).toBe(false);
    expect(C.safeParse({ c: 1, n: true }).success).toBe(false);
    expect(() => C.narrow({ n: true } as never)).toThrow(sp.SpaxOverrideError);
    expect(() => C.narrow({ c: true } as never)).toThrow(sp.SpaxOverrideError);
  });

  it("defect 6: array fixed branches and nulls round-trip through JSON, YAML and TOML", () => {
    // SpaX compared the fixed branch before coercion (tuple vs list failed after JSON), YAML
    // wrote an unloadable !!python/tuple, and TOML could not hold None.
    const C = sp.config("C", {
      adam: sp.boolean(),
      betas: sp.conditional(sp.field("adam").eq(true), { true: [0.9, 0.999], false: null }),
    });
    for (const adam of [true, false]) {
      const v = C.parse({ adam });
      for (const format of ["json", "yaml", "toml"] as const) {
        const text = C.dump(v, format);
        expect(text).not.toContain("!!python");
        expect(C.load(text, format)).toEqual(v);
      }
    }
  });

  it("defect 7: __type__ resolves config choices in branches and nested choices", () => {
    // SpaX resolved __type__ only via the field's annotation, so configs reached other ways
    // did not round-trip.
    const A = sp.config("A", { x: sp.int({ ge: 0, le: 5 }) });
    const A2 = sp.config("A2", { x: sp.int({ ge: 0, le: 5 }) });
    const Holder = sp.config("Holder", { pick: sp.categorical([A, A2]) });
    const C = sp.config("C", {
      on: sp.boolean(),
      deep: sp.conditional(sp.field("on").eq(true), { true: Holder, false: null }),
      pick: sp.categorical([A, A2]),
    });
    for (const seed of seeds(20)) {
      const v = C.random({ seed });
      for (const format of ["json", "yaml", "toml"] as const) {
        expect(C.load(C.dump(v, format), format)).toEqual(v);
      }
    }
  });

  it("defect 8: a missing required field is an issue, not a bare RuntimeError", () => {
    // SpaX raised RuntimeError("Field 'x' not provided…") past pydantic's error handling.
    const C = sp.config("C", { x: sp.int({ ge: 0, le: 5 }) });
    const r = C.safeParse({});
    expect(r.success).toBe(false);
    if (!r.success) expect(r.issues[0]).toMatchObject({ code: "missing_field", path: ["x"] });
    expect(thrown(() => C.parse({}))).toBeInstanceOf(sp.SpaxValidationError);
  });

  it("defect 9: gt 0 + log is rejected; exclusive bounds never sampled; empty int ranges rejected", () => {
    // SpaX accepted gt=0 with log (sampling ln(1e-10)), shifted exclusive bounds by an absolute
    // 1e-10, and built Int(gt=0, lt=1), which crashed at sampling.
    expect(() => sp.float({ gt: 0, le: 1, log: true })).toThrow(sp.SpaxDefinitionError);
    expect(() => sp.int({ gt: 0, lt: 1 })).toThrow(sp.SpaxDefinitionError);
    const C = sp.config("C", { v: sp.float({ gt: 1e-12, lt: 2e-12 }) });
    for (const seed of seeds(100)) {
      const v = C.random({ seed }).v;
      expect(v).toBeGreaterThan(1e-12);
      expect(v).toBeLessThan(2e-12);
    }
  });

  it("defect 10: containment is integer-aware ({ gt: 0 } narrows int({ ge: 1 }))", () => {
    // SpaX's contains() compared bounds as reals and rejected this equal-or-narrower range.
    const C = sp.config("C", { n: sp.int({ ge: 1, le: 10 }) });
    expect(() => C.narrow({ n: { gt: 0 } })).not.toThrow();
    expect(() => C.narrow({ n: { gt: 0, lt: 11 } })).not.toThrow();
    expect(() => C.narrow({ n: { gt: -1 } })).toThrow(sp.SpaxOverrideError);
  });

  it("defect 11: a trial with 3-argument suggest methods works", () => {
    // SpaX accepted suggest_int(name, low, high) but then always passed log= (TypeError).
    const C = sp.config("C", { n: sp.int({ ge: 1, le: 10 }), x: sp.float({ ge: 0, le: 1 }) });
    const trial = {
      suggestInt: (name: string, low: number, high: number) => (name ? low : high),
      suggestFloat: (name: string, low: number, high: number) => (name ? high : low),
      suggestCategorical: (_name: string, choices: readonly unknown[]) => choices[0],
    };
    expect(C.fromTrial(trial)).toEqual({ n: 1, x: 1 });
    // The options argument carries log only for log spaces.
    const s = new RecordingSampler();
    sp.config("L", { n: sp.int({ ge: 1, le: 10, log: true }) }).sample(s);
    expect(s.calls[0]).toEqual(["int", "L.n", 1, 10, { log: true }]);
  });

  it("defect 12: the space's data form is stable and complete", () => {
    // SpaX's hash printed a set for MultiFieldLambdaCondition (unstable order) and Lambda's repr
    // ignored the body (different lambdas, same hash).
    const make = () =>
      sp.config("C", {
        b: sp.int({ ge: 0, le: 3 }),
        a: sp.int({ ge: 0, le: 3 }),
        z: sp.conditional(
          sp.fields(["b", "a"], (v) => v.a > v.b, "a above b"),
          { true: 1, false: 0 },
        ),
      });
    expect(JSON.stringify(make().toJSON())).toBe(JSON.stringify(make().toJSON()));
    expect(make().toJSON().space.fields[2]!.space).toMatchObject({
      condition: { fields: ["b", "a"], label: "a above b" },
    });
    // Two different predicates must be told apart in the data form (by their labels).
    const p1 = sp.field("a").test((v: number) => v > 1, "a > 1");
    const p2 = sp.field("a").test((v: number) => v > 2, "a > 2");
    expect(p1.toJSON()).not.toEqual(p2.toJSON());
  });

  it("defect 13: a generator of paths works for MultiFieldLambdaCondition", () => {
    // SpaX consumed the generator twice and raised "cannot contain duplicates".
    function* paths() {
      yield "a";
      yield "b";
    }
    const cond = sp.MultiFieldLambdaCondition(
      paths() as never,
      (v: Record<string, number>) => v.a! < v.b!,
    );
    expect(cond.paths()).toEqual(["a", "b"]);
    const C = sp.config("C", {
      a: sp.int({ ge: 0, le: 3 }),
      b: sp.int({ ge: 0, le: 3 }),
      lt: sp.conditional(cond as sp.Condition<"a" | "b">, { true: true, false: false }),
    });
    expect(C.parse({ a: 1, b: 2 }).lt).toBe(true);
  });

  it("defect 14: conditions on nested fields work when the nested config is a plain object", () => {
    // SpaX evaluated conditions on raw input: a nested config given as a dict (JSON without
    // __type__) made FieldCondition("inner.threshold", …) raise AttributeError.
    const Inner = sp.config("Inner", { threshold: sp.float({ ge: 0, le: 1 }) });
    const C = sp.config("C", {
      inner: Inner,
      high: sp.conditional(sp.field("inner.threshold").gt(0.5), {
        true: sp.int({ ge: 1, le: 3 }),
        false: 0,
      }),
    });
    expect(C.parse({ inner: { threshold: 0.7 }, high: 2 })).toEqual({
      inner: { threshold: 0.7 },
      high: 2,
    });
    expect(C.load('{"inner": {"threshold": 0.2}, "high": 0}', "json")).toEqual({
      inner: { threshold: 0.2 },
      high: 0,
    });
  });

  it("defect 15: one-choice categoricals act as fixed inside branches too; same-named configs clash", () => {
    // SpaX simplified a one-choice categorical only at field level (inside a branch it still
    // drew and named a parameter), and configs with equal names collided silently.
    const C = sp.config("C", {
      n: sp.int({ ge: 0, le: 100 }),
      b: sp.conditional(sp.field("n").gt(-1), { true: sp.categorical(["only"]), false: "other" }),
      m: sp.int({ ge: 0, le: 100 }),
    });
    const F = sp.config("C", {
      n: sp.int({ ge: 0, le: 100 }),
      b: sp.conditional(sp.field("n").gt(-1), { true: "only", false: "other" }),
      m: sp.int({ ge: 0, le: 100 }),
    });
    expect(C.parameterNames()).toEqual(["C.m", "C.n"]);
    for (const seed of seeds(10)) expect(C.random({ seed })).toEqual(F.random({ seed }));
    const A1 = sp.config("Same", { x: 1 });
    const A2 = sp.config("Same", { y: 2 });
    expect(() => sp.categorical([A1, A2])).toThrow(sp.SpaxDefinitionError);
  });

  describe("defect 15 (cont.): misleading override messages", () => {
    const dir = mkdtempSync(join(tmpdir(), "spax-defects-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("an unknown scalar for a categorical says it is not a choice and lists the choices", () => {
      // SpaX said "Override must be a value, list, or dict, got str" for an unknown scalar.
      const C = sp.config("C", { o: sp.categorical(["adam", "sgd"]) });
      const path = join(dir, "o.yaml");
      writeFileSync(path, "o: adamw\n");
      const e = thrown(() => C.narrow(sp.loadOverride(path)));
      expect(e).toBeInstanceOf(sp.SpaxOverrideError);
      expect(e.message).toBe(
        `${path}:1: override.o: "adamw" is not one of the choices 'adam', 'sgd'`,
      );
    });
  });
});
