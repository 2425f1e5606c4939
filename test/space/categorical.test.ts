import { describe, expect, it } from "vitest";
import * as sp from "../../src/index.js";
import { expectError, JUNK, RecordingSampler, seeds, thrown } from "./helpers.js";

const SIX = [1, "1", true, null, 0, ""] as const;
const Six = sp.config("Six", { v: sp.categorical([...SIX]) });

/** A key that tells the six values apart (JSON.stringify alone would merge 1 and "1"? no, but typeof makes it plain). */
const key = (v: unknown) => `${typeof v}:${JSON.stringify(v)}`;

describe("categorical: choices", () => {
  it("accepts any JSON-like value as a choice, including null, arrays and objects", () => {
    const choices = ["a", 2.5, false, null, [1, 2], { units: 64, act: "relu" }];
    const C = sp.config("C", { v: sp.categorical(choices) });
    const seen = new Set(seeds(300).map((seed) => key(C.random({ seed }).v)));
    expect(seen).toEqual(new Set(choices.map(key)));
    for (const c of choices) expect(C.parse({ v: c })).toEqual({ v: c });
  });

  it("array and object choices validate by deep equality (object key order ignored)", () => {
    const C = sp.config("C", { v: sp.categorical([{ a: 1, b: [2, 3] }, [1, 2]]) });
    expect(C.parse({ v: { b: [2, 3], a: 1 } })).toEqual({ v: { a: 1, b: [2, 3] } });
    expect(C.safeParse({ v: { a: 1, b: [3, 2] } }).success).toBe(false);
    expect(C.safeParse({ v: [1, 2, 3] }).success).toBe(false);
    expect(C.safeParse({ v: { a: 1 } }).success).toBe(false);
  });

  it("sampled array/object choices cannot be mutated to corrupt later samples", () => {
    const C = sp.config("C", { v: sp.categorical([{ n: 1 }, { n: 2 }]) });
    const first = C.random({ seed: 3 }).v as { n: number };
    try {
      (first as { n: number }).n = 99;
    } catch {
      // frozen: fine
    }
    expect(C.random({ seed: 3 }).v).not.toEqual({ n: 99 });
  });

  it("configs are valid choices; the value carries __type__", () => {
    const A = sp.config("A", { a: sp.int({ ge: 0, le: 3 }) });
    const B = sp.config("B", { b: "fixed" });
    const C = sp.config("C", { v: sp.categorical([A, B, null]) });
    const types = new Set(
      seeds(100).map((seed) => {
        const v = C.random({ seed }).v;
        return v === null ? null : v.__type__;
      }),
    );
    expect(types).toEqual(new Set(["A", "B", null]));
    expect(C.parse({ v: { b: "fixed" } })).toEqual({ v: { b: "fixed", __type__: "B" } });
  });

  it("sp.boolean() is categorical([true, false])", () => {
    const b = sp.boolean();
    expect(b.entries.map((e) => e.value)).toEqual([true, false]);
    const C = sp.config("C", { v: sp.boolean() });
    const D = sp.config("C", { v: sp.categorical([true, false]) });
    expect(C.toJSON()).toEqual(D.toJSON());
    expect(seeds(20).map((seed) => C.random({ seed }))).toEqual(
      seeds(20).map((seed) => D.random({ seed })),
    );
    expect(C.safeParse({ v: 1 }).success).toBe(false);
    expect(C.safeParse({ v: "true" }).success).toBe(false);
  });

  it("sp.boolean({ default }) fills missing values", () => {
    const C = sp.config("C", { v: sp.boolean({ default: false }) });
    expect(C.parse({})).toEqual({ v: false });
  });

  it("a default that is null is a real default", () => {
    const C = sp.config("C", { v: sp.categorical(["a", null], { default: null }) });
    expect(C.parse({})).toEqual({ v: null });
  });
});

describe("categorical: weights", () => {
  it("sp.choice weights skew sampling (3:1)", () => {
    const C = sp.config("C", { v: sp.categorical([sp.choice("adam", { weight: 3 }), "sgd"]) });
    const adam = seeds(800).filter((seed) => C.random({ seed }).v === "adam").length;
    expect(adam / 800).toBeGreaterThan(0.68);
    expect(adam / 800).toBeLessThan(0.82);
  });

  it("weights need not sum to 1 and are passed to samplers", () => {
    const C = sp.config("C", {
      v: sp.categorical([sp.choice("a", { weight: 0.5 }), sp.choice("b", { weight: 7 })]),
    });
    const s = new RecordingSampler();
    C.sample(s);
    expect(s.calls).toEqual([["categorical", "C.v", ["a", "b"], { weights: [0.5, 7] }]]);
  });

  it("weights are part of toJSON", () => {
    const C = sp.config("C", { v: sp.categorical([sp.choice("a", { weight: 3 }), "b"]) });
    expect(C.toJSON().space.fields[0]!.space).toEqual({
      type: "categorical",
      choices: [
        { value: "a", weight: 3 },
        { value: "b", weight: 1 },
      ],
    });
  });

  it("weight <= 0, NaN, Infinity or non-numbers are definition errors", () => {
    for (const weight of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, "2"]) {
      const e = expectError(
        () => sp.categorical([sp.choice("a", { weight: weight as never }), "b"]),
        sp.SpaxDefinitionError,
        "invalid_weight",
        "weight must be a finite number > 0",
      );
      expect(e.message).toContain(`got ${weight === "2" ? '"2"' : String(weight)}`);
    }
  });
});

describe("categorical: definition errors", () => {
  it("an empty categorical", () => {
    expectError(
      () => sp.categorical([]),
      sp.SpaxDefinitionError,
      "empty_categorical",
      "at least one choice",
    );
  });

  it("duplicate primitive choices", () => {
    expectError(
      () => sp.categorical(["a", "b", "a"]),
      sp.SpaxDefinitionError,
      "duplicate_choice",
      "choice 2 ('a') duplicates choice 0",
    );
  });

  it("deep-equal arrays and objects are duplicates", () => {
    expectError(
      () =>
        sp.categorical([
          [1, 2],
          [1, 2],
        ]),
      sp.SpaxDefinitionError,
      "duplicate_choice",
      "duplicates choice 0",
    );
    expectError(
      () =>
        sp.categorical([
          { a: 1, b: 2 },
          { b: 2, a: 1 },
        ]),
      sp.SpaxDefinitionError,
      "duplicate_choice",
    );
  });

  it("a weighted duplicate is still a duplicate", () => {
    expectError(
      () => sp.categorical(["a", sp.choice("a", { weight: 2 })]),
      sp.SpaxDefinitionError,
      "duplicate_choice",
    );
  });

  it("two configs with the same name are duplicates", () => {
    const A1 = sp.config("A", { x: 1 });
    const A2 = sp.config("A", { y: 2 });
    expectError(() => sp.categorical([A1, A2]), sp.SpaxDefinitionError, "duplicate_choice", '"A"');
  });

  it("a string choice equal to a config choice's name is ambiguous", () => {
    const A = sp.config("A", { x: 1 });
    expectError(() => sp.categorical([A, "A"]), sp.SpaxDefinitionError, "ambiguous_choice");
  });

  it("non-JSON choices: functions, undefined, class instances, NaN", () => {
    for (const bad of [() => 1, undefined, new Date(0), new Map(), Number.NaN, 10n]) {
      const e = thrown(() => sp.categorical([bad as never, "x"]));
      expect(e).toBeInstanceOf(sp.SpaxDefinitionError);
      expect(["not_json", "not_finite"]).toContain(e.code);
    }
  });

  it("a non-config space as a choice", () => {
    expectError(
      () => sp.categorical([sp.float({ ge: 0, le: 1 }) as never]),
      sp.SpaxDefinitionError,
      "invalid_choice",
      "float space",
    );
  });

  it("a default that is not a choice", () => {
    expectError(
      () => sp.categorical(["a", "b"], { default: "c" as never }),
      sp.SpaxDefinitionError,
      "invalid_default",
      "'c'",
    );
    // Type identity: "1" is not the default for a categorical of 1.
    expectError(
      () => sp.categorical([1, 2], { default: "1" as never }),
      sp.SpaxDefinitionError,
      "invalid_default",
    );
  });

  it("junk instead of a choice list is a SpaxDefinitionError", () => {
    for (const [label, junk] of JUNK) {
      if (label === "array") continue; // [1, "a"] is a valid list
      const e = thrown(() => sp.categorical(junk as never));
      expect(e, label).toBeInstanceOf(sp.SpaxDefinitionError);
    }
  });

  it("junk options are SpaxErrors, never TypeErrors", () => {
    for (const [label, junk] of JUNK) {
      if (label === "undefined" || label === "empty object" || label === "null-prototype object")
        continue;
      let error: unknown;
      try {
        sp.categorical(["a", "b"], junk as never);
        sp.boolean(junk as never);
      } catch (e) {
        error = e;
      }
      // Accepting a harmless junk options value is tolerable; a TypeError is not.
      if (error !== undefined) expect(error, label).toBeInstanceOf(sp.SpaxError);
    }
  });
});

describe("categorical: 1, '1', true, null, 0 and '' are six distinct choices", () => {
  it("are accepted together (no duplicate error)", () => {
    expect(sp.categorical([...SIX]).entries).toHaveLength(6);
  });

  it("sampling produces all six, each with its own type", () => {
    const seen = new Set(seeds(300).map((seed) => key(Six.random({ seed }).v)));
    expect(seen).toEqual(new Set(SIX.map(key)));
  });

  it("parse keeps the type of each value", () => {
    for (const v of SIX) {
      const out = Six.parse({ v });
      expect(Object.is(out.v, v)).toBe(true);
    }
  });

  it("parse of 1 fails for a categorical of '1' (and vice versa)", () => {
    const S = sp.config("S", { v: sp.categorical(["1", "x"]) });
    const r = S.safeParse({ v: 1 });
    expect(r.success).toBe(false);
    if (!r.success) {
      expect(r.issues).toEqual([
        expect.objectContaining({
          code: "not_in_choices",
          path: ["v"],
          input: 1,
          expected: ["1", "x"],
        }),
      ]);
    }
    const N = sp.config("N", { v: sp.categorical([1, 2]) });
    expect(N.safeParse({ v: "1" }).success).toBe(false);
    // SpaX (Python ==) accepts True for 1 (defect 5).
    expect(N.safeParse({ v: true }).success).toBe(false);
    const Z = sp.config("Z", { v: sp.categorical([0, "a"]) });
    expect(Z.safeParse({ v: false }).success).toBe(false);
    expect(Z.safeParse({ v: "" }).success).toBe(false);
    expect(Z.safeParse({ v: null }).success).toBe(false);
  });

  it("overrides [1] and ['1'] fix different choices", () => {
    const one = Six.narrow({ v: [1] });
    const str = Six.narrow({ v: ["1"] });
    expect(one.random({ seed: 0 }).v).toBe(1);
    expect(str.random({ seed: 0 }).v).toBe("1");
    expect(one.toJSON()).not.toEqual(str.toJSON());
    expect(Six.narrow({ v: true }).random({ seed: 0 }).v).toBe(true);
    expect(Six.narrow({ v: [""] }).random({ seed: 0 }).v).toBe("");
    expect(Six.narrow({ v: [0] }).random({ seed: 0 }).v).toBe(0);
    expect(Six.narrow({ v: [null] }).random({ seed: 0 }).v).toBe(null);
  });

  it("a subset override [1, '1'] keeps exactly those two", () => {
    const N = Six.narrow({ v: [1, "1"] });
    const seen = new Set(seeds(100).map((seed) => key(N.random({ seed }).v)));
    expect(seen).toEqual(new Set([key(1), key("1")]));
  });

  it("a sampler's answer is matched by type: '1' picks '1', not 1", () => {
    const s = new RecordingSampler(() => "1");
    expect(Six.sample(s)).toEqual({ v: "1" });
    expect(s.calls[0]).toEqual(["categorical", "Six.v", [1, "1", true, null, 0, ""], {}]);
    expect(Six.sample(new RecordingSampler(() => 0)).v).toBe(0);
    expect(Six.sample(new RecordingSampler(() => "")).v).toBe("");
    // false is not a choice, and must not be mistaken for 0 or "".
    expect(() => Six.sample(new RecordingSampler(() => false))).toThrow(sp.SpaxSamplingError);
  });

  for (const format of ["json", "yaml", "toml"] as const) {
    it(`dump/load keeps them distinct in ${format}`, () => {
      for (const v of SIX) {
        const text = Six.dump({ v }, format);
        const back = Six.load(text, format);
        expect(Object.is(back.v, v), `${format} ${key(v)}: ${text}`).toBe(true);
      }
    });
  }
});

describe("categorical: single choice acts as fixed", () => {
  const Single = sp.config("Single", {
    only: sp.categorical(["adam"]),
    n: sp.int({ ge: 0, le: 100 }),
  });
  const Plain = sp.config("Single", { only: "adam", n: sp.int({ ge: 0, le: 100 }) });

  it("has no parameter name", () => {
    expect(Single.parameterNames()).toEqual(["Single.n"]);
  });

  it("draws nothing: the same samples as a fixed field", () => {
    expect(seeds(10).map((seed) => Single.random({ seed }))).toEqual(
      seeds(10).map((seed) => Plain.random({ seed })),
    );
    const s = new RecordingSampler();
    Single.sample(s);
    expect(s.calls.map((c) => c[1])).toEqual(["Single.n"]);
  });

  it("validates only its value, and fills it when omitted (like a fixed value)", () => {
    expect(Single.parse({ only: "adam", n: 1 })).toEqual({ only: "adam", n: 1 });
    expect(Single.safeParse({ only: "sgd", n: 1 }).success).toBe(false);
    // Fixed plain values are filled in when omitted; a single-choice categorical acts as fixed.
    expect(Single.parse({ n: 1 })).toEqual({ only: "adam", n: 1 });
  });

  it("prints as its value in the tree", () => {
    expect(Single.tree()).toBe("Single\n├─ only: 'adam'\n└─ n: Int([0, 100], uniform)");
  });

  it("a single config choice acts as a nested config (names without a choice parameter)", () => {
    const A = sp.config("A", { a: sp.int({ ge: 0, le: 3 }) });
    const C = sp.config("C", { v: sp.categorical([A]) });
    expect(C.parameterNames()).toEqual(["C.v::A.a"]);
  });
});
