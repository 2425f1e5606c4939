import { describe, expect, it } from "vitest";
import * as sp from "../../src/index.js";
import { JUNK, thrown } from "./helpers.js";

const Training = sp.config("Training", {
  lr: sp.float({ ge: 1e-5, le: 0.1, log: true, default: 0.001 }),
  batchSize: sp.int({ ge: 8, le: 128 }),
  useDropout: sp.boolean(),
  dropoutRate: sp.conditional(sp.field("useDropout").eq(true), {
    true: sp.float({ ge: 0.1, le: 0.5 }),
    false: 0,
  }),
  name: "baseline",
});

/** The issues of a failing safeParse (fails the test when it succeeds). */
function issuesOf(C: { safeParse(d: unknown): sp.SafeParseResult<unknown> }, data: unknown) {
  const r = C.safeParse(data);
  if (r.success) throw new Error(`expected issues, got ${JSON.stringify(r.data)}`);
  return r.issues;
}

/** Every issue has the documented shape. */
function expectWellFormed(issues: readonly sp.Issue[]) {
  expect(issues.length).toBeGreaterThan(0);
  for (const i of issues) {
    expect(typeof i.code).toBe("string");
    expect(Array.isArray(i.path)).toBe(true);
    expect("input" in i).toBe(true);
    expect(typeof i.message).toBe("string");
    expect(i.message.length).toBeGreaterThan(0);
  }
}

describe("parse / safeParse: valid configs", () => {
  it("fills defaults, fixed values and inactive fixed branches", () => {
    expect(Training.parse({ batchSize: 16, useDropout: false })).toEqual({
      lr: 0.001,
      batchSize: 16,
      useDropout: false,
      dropoutRate: 0,
      name: "baseline",
    });
  });

  it("accepts an inactive branch holding its fixed value", () => {
    expect(
      Training.parse({ batchSize: 16, useDropout: false, dropoutRate: 0, name: "baseline" })
        .dropoutRate,
    ).toBe(0);
  });

  it("returns keys in declaration order whatever the input order", () => {
    const c = Training.parse({
      name: "baseline",
      dropoutRate: 0.2,
      useDropout: true,
      batchSize: 8,
    });
    expect(Object.keys(c)).toEqual(["lr", "batchSize", "useDropout", "dropoutRate", "name"]);
  });

  it("does not mutate the input", () => {
    const input = { batchSize: 16, useDropout: false };
    Training.parse(input);
    expect(input).toEqual({ batchSize: 16, useDropout: false });
  });

  it("safeParse returns { success: true, data }", () => {
    const r = Training.safeParse({ batchSize: 16, useDropout: true, dropoutRate: 0.3 });
    expect(r).toEqual({
      success: true,
      data: { lr: 0.001, batchSize: 16, useDropout: true, dropoutRate: 0.3, name: "baseline" },
    });
  });

  it("-0 is normalised to 0", () => {
    const C = sp.config("C", { v: sp.float({ ge: -1, le: 1 }) });
    expect(Object.is(C.parse({ v: -0 }).v, 0)).toBe(true);
  });

  it("accepts every sampled config (random → parse round trip)", () => {
    for (let seed = 0; seed < 30; seed++) {
      const c = Training.random({ seed });
      expect(Training.parse(c)).toEqual(c);
    }
  });
});

describe("parse / safeParse: issues", () => {
  it("a missing field without default is an issue, never a crash", () => {
    const issues = issuesOf(Training, { useDropout: false });
    expect(issues).toEqual([
      expect.objectContaining({ code: "missing_field", path: ["batchSize"], input: undefined }),
    ]);
    expectWellFormed(issues);
  });

  it("an active branch without a value and without default is missing", () => {
    const issues = issuesOf(Training, { batchSize: 16, useDropout: true });
    expect(issues).toEqual([
      expect.objectContaining({ code: "missing_field", path: ["dropoutRate"] }),
    ]);
  });

  it("unknown extra fields are issues", () => {
    const issues = issuesOf(Training, { batchSize: 16, useDropout: false, extra: 1 });
    expect(issues).toEqual([
      expect.objectContaining({ code: "unknown_field", path: ["extra"], input: 1 }),
    ]);
  });

  it("NaN, +Infinity and -Infinity are not_finite", () => {
    for (const v of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const issues = issuesOf(Training, { batchSize: 16, useDropout: false, lr: v });
      expect(issues).toHaveLength(1);
      expect(issues[0]!.code).toBe("not_finite");
      expect(issues[0]!.path).toEqual(["lr"]);
      expect(Object.is(issues[0]!.input, v)).toBe(true);
    }
  });

  it("unsafe integers are rejected", () => {
    const C = sp.config("C", { n: sp.int({ ge: 0, le: 2 ** 53 - 1 }) });
    expect(C.parse({ n: 2 ** 53 - 1 }).n).toBe(2 ** 53 - 1);
    const issues = issuesOf(C, { n: 2 ** 53 });
    expect(issues[0]).toMatchObject({ code: "unsafe_integer", path: ["n"], input: 2 ** 53 });
  });

  it("true, '1' and null are not numbers", () => {
    for (const v of [true, "1", null, [1], { v: 1 }]) {
      const issues = issuesOf(Training, { batchSize: v, useDropout: false });
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ code: "invalid_type", path: ["batchSize"], input: v });
    }
    const F = sp.config("F", { x: sp.float({ ge: 0, le: 2 }) });
    expect(issuesOf(F, { x: true })[0]!.code).toBe("invalid_type");
    expect(issuesOf(F, { x: "1" })[0]!.code).toBe("invalid_type");
  });

  it("1.5 for an int", () => {
    const issues = issuesOf(Training, { batchSize: 16.5, useDropout: false });
    expect(issues).toEqual([
      expect.objectContaining({ code: "not_integer", path: ["batchSize"], input: 16.5 }),
    ]);
  });

  it("an integral float for an int is fine (16.0 is 16 in JavaScript)", () => {
    expect(Training.parse({ batchSize: 16.0, useDropout: false }).batchSize).toBe(16);
  });

  it("bounds: too_small and too_big carry the bound and inclusiveness", () => {
    expect(issuesOf(Training, { batchSize: 4, useDropout: false })[0]).toMatchObject({
      code: "too_small",
      path: ["batchSize"],
      input: 4,
      bound: 8,
      inclusive: true,
    });
    expect(issuesOf(Training, { batchSize: 129, useDropout: false })[0]).toMatchObject({
      code: "too_big",
      bound: 128,
      inclusive: true,
    });
    const msg = issuesOf(Training, { batchSize: 129, useDropout: false })[0]!.message;
    expect(msg).toContain("128");
    expect(msg).toContain("129");
  });

  it("an inactive branch holding a non-fixed value", () => {
    const issues = issuesOf(Training, { batchSize: 16, useDropout: false, dropoutRate: 0.3 });
    expect(issues).toEqual([
      expect.objectContaining({
        code: "fixed_value_mismatch",
        path: ["dropoutRate"],
        input: 0.3,
        expected: [0],
      }),
    ]);
    expect(issues[0]!.message).toContain("useDropout == true");
  });

  it("an active branch's bounds", () => {
    const issues = issuesOf(Training, { batchSize: 16, useDropout: true, dropoutRate: 0.6 });
    expect(issues).toEqual([
      expect.objectContaining({ code: "too_big", path: ["dropoutRate"], input: 0.6, bound: 0.5 }),
    ]);
    expect(
      issuesOf(Training, { batchSize: 16, useDropout: true, dropoutRate: 0 })[0],
    ).toMatchObject({ code: "too_small", path: ["dropoutRate"] });
  });

  it("a fixed field with another value", () => {
    expect(
      issuesOf(Training, { batchSize: 16, useDropout: false, name: "other" })[0],
    ).toMatchObject({
      code: "fixed_value_mismatch",
      path: ["name"],
      input: "other",
      expected: ["baseline"],
    });
  });

  it("a fixed array/object value compares deeply", () => {
    const C = sp.config("C", { shape: [3, 224, 224], meta: { a: 1, b: [2] } });
    expect(C.parse({ shape: [3, 224, 224], meta: { b: [2], a: 1 } })).toEqual({
      shape: [3, 224, 224],
      meta: { a: 1, b: [2] },
    });
    expect(issuesOf(C, { shape: [3, 224] })[0]!.code).toBe("fixed_value_mismatch");
    expect(issuesOf(C, { meta: { a: 1, b: [2], c: 3 } })[0]!.code).toBe("fixed_value_mismatch");
  });

  it("a fixed 1 does not accept true or '1'", () => {
    const C = sp.config("C", { one: 1 });
    expect(issuesOf(C, { one: true })[0]!.code).toBe("fixed_value_mismatch");
    expect(issuesOf(C, { one: "1" })[0]!.code).toBe("fixed_value_mismatch");
    expect(C.parse({})).toEqual({ one: 1 });
  });

  it("a fixed null is filled when omitted and must be null when given", () => {
    const C = sp.config("C", { nothing: null });
    expect(C.parse({})).toEqual({ nothing: null });
    expect(issuesOf(C, { nothing: 0 })[0]!.code).toBe("fixed_value_mismatch");
  });

  it("issues for several fields at once", () => {
    const issues = issuesOf(Training, { batchSize: 4, useDropout: 1, lr: 1, name: 2, extra: true });
    const byPath = Object.fromEntries(issues.map((i) => [i.path.join("."), i.code]));
    expect(byPath).toEqual({
      batchSize: "too_small",
      lr: "too_big",
      name: "fixed_value_mismatch",
      useDropout: "not_in_choices",
      extra: "unknown_field",
    });
    expectWellFormed(issues);
  });

  it("a field whose condition reads an invalid field reports only the root cause", () => {
    const issues = issuesOf(Training, { batchSize: 16, useDropout: "yes", dropoutRate: 0.3 });
    expect(issues.map((i) => i.path)).toEqual([["useDropout"]]);
  });

  it("the root must be an object", () => {
    for (const [label, junk] of JUNK) {
      if (label === "empty object" || label === "null-prototype object") continue;
      const r = Training.safeParse(junk);
      expect(r.success, label).toBe(false);
      if (!r.success) {
        expect(r.issues[0]!.code, label).toBe("invalid_type");
        expect(r.issues[0]!.path).toEqual([]);
      }
      expect(
        thrown(() => Training.parse(junk)),
        label,
      ).toBeInstanceOf(sp.SpaxValidationError);
    }
  });

  it("a nested config that is not an object", () => {
    const Inner = sp.config("Inner", { v: sp.int({ ge: 0, le: 3 }) });
    const O = sp.config("O", { inner: Inner });
    for (const v of [5, "x", null, [1]]) {
      expect(issuesOf(O, { inner: v })[0]).toMatchObject({
        code: "invalid_type",
        path: ["inner"],
        input: v,
      });
    }
  });
});

describe("parse: SpaxValidationError", () => {
  it("carries every issue, the first issue's code and path, and a readable message", () => {
    const e = thrown(() => Training.parse({ batchSize: 4, useDropout: false, name: "x" }));
    expect(e).toBeInstanceOf(sp.SpaxValidationError);
    expect(e).toBeInstanceOf(sp.SpaxError);
    expect(e.issues).toHaveLength(2);
    expect(e.code).toBe(e.issues[0].code);
    expect(e.path).toBe(e.issues[0].path.join("."));
    expect(e.message).toMatch(/^invalid Training \(2 issues\):\n/);
    expect(e.message).toContain("  - batchSize: must be >= 8, got 4");
    expect(e.message).toContain("  - name: ");
  });

  it("safeParse returns the same error object shape", () => {
    const r = Training.safeParse({ batchSize: 4, useDropout: false });
    expect(r.success).toBe(false);
    if (!r.success) {
      expect(r.error).toBeInstanceOf(sp.SpaxValidationError);
      expect(r.error.issues).toEqual(r.issues);
    }
  });

  it("formatIssue renders path: message", () => {
    const issues = issuesOf(Training, { batchSize: 4, useDropout: false });
    expect(sp.formatIssue(issues[0]!)).toBe("batchSize: must be >= 8, got 4");
  });
});

describe("parse: choices among configs", () => {
  const A = sp.config("A", { a: sp.int({ ge: 0, le: 10 }) });
  const A2 = sp.config("A2", { a: sp.int({ ge: 0, le: 10 }) });
  const B = sp.config("B", { b: sp.float({ ge: 0, le: 1 }) });
  const M = sp.config("M", { c: sp.categorical([A, B, null]), d: sp.categorical([A, A2]) });

  it("by __type__", () => {
    expect(M.parse({ c: { b: 0.5, __type__: "B" }, d: { a: 1, __type__: "A2" } })).toEqual({
      c: { b: 0.5, __type__: "B" },
      d: { a: 1, __type__: "A2" },
    });
  });

  it("by shape when exactly one config matches", () => {
    expect(M.parse({ c: { a: 3 }, d: { a: 1, __type__: "A" } }).c).toEqual({ a: 3, __type__: "A" });
  });

  it("an ambiguous shape is an issue naming the candidates", () => {
    const issues = issuesOf(M, { c: null, d: { a: 1 } });
    expect(issues).toEqual([
      expect.objectContaining({
        code: "ambiguous_config",
        path: ["d"],
        input: { a: 1 },
        expected: ["A", "A2"],
      }),
    ]);
    expect(issues[0]!.message).toContain("__type__");
  });

  it("an unknown __type__ is an issue at path.__type__", () => {
    const issues = issuesOf(M, { c: { a: 1, __type__: "Nope" }, d: { a: 1, __type__: "A" } });
    expect(issues).toEqual([
      expect.objectContaining({
        code: "unknown_config_type",
        path: ["c", "__type__"],
        input: "Nope",
        expected: ["A", "B"],
      }),
    ]);
  });

  it("a __type__ that names the wrong config validates against that config", () => {
    const issues = issuesOf(M, { c: { a: 1, __type__: "B" }, d: { a: 1, __type__: "A" } });
    expect(issues.map((i) => [i.code, i.path])).toEqual(
      expect.arrayContaining([
        ["missing_field", ["c", "b"]],
        ["unknown_field", ["c", "a"]],
      ]),
    );
  });

  it("a shape matching no config", () => {
    expect(issuesOf(M, { c: { z: 1 }, d: { a: 1, __type__: "A" } })[0]).toMatchObject({
      code: "unknown_config_type",
      path: ["c"],
    });
  });

  it("a config name given as a plain string is not a config value", () => {
    expect(issuesOf(M, { c: "A", d: { a: 1, __type__: "A" } })[0]).toMatchObject({
      code: "not_in_choices",
      path: ["c"],
      input: "A",
    });
  });

  it("an invalid field inside the chosen config has a nested path", () => {
    expect(issuesOf(M, { c: { a: 11 }, d: { a: 1, __type__: "A" } })[0]).toMatchObject({
      code: "too_big",
      path: ["c", "a"],
      input: 11,
    });
  });
});

describe("non-JSON values inside compound choices", () => {
  it("NaN, Infinity and undefined inside an array never match null (found by the property soak)", () => {
    // canonicalKey once used JSON.stringify, which writes NaN/Infinity as null: [NaN] matched [null].
    const S = sp.config("S", { d: sp.categorical([[null], { a: null }, "x"]) });
    for (const bad of [[Number.NaN], [Number.POSITIVE_INFINITY], [undefined], { a: Number.NaN }]) {
      expect(S.safeParse({ d: bad }).success).toBe(false);
    }
    expect(S.parse({ d: [null] })).toStrictEqual({ d: [null] });
  });
});
