import { describe, expect, it } from "vitest";
import * as sp from "../../src/index.js";
import { expectError, JUNK, seeds, thrown } from "./helpers.js";

/**
 * A config whose field `out` is true exactly when `condition` holds for `x`, a categorical of
 * the given values. Lets each operator be checked on every value.
 */
function truthTable(values: readonly sp.JsonValue[], condition: sp.Condition) {
  const C = sp.config("T", {
    x: sp.categorical(values),
    out: sp.conditional(condition as sp.Condition<"x">, { true: "yes", false: "no" }),
  });
  return values.map((x) => C.parse({ x }).out === "yes");
}

describe("conditions: operators", () => {
  const nums = [1, 5, 8, 9, 12];

  it("eq / ne", () => {
    expect(truthTable(nums, sp.field("x").eq(8))).toEqual([false, false, true, false, false]);
    expect(truthTable(nums, sp.field("x").ne(8))).toEqual([true, true, false, true, true]);
  });

  it("in / notIn", () => {
    expect(truthTable(nums, sp.field("x").in([1, 9]))).toEqual([true, false, false, true, false]);
    expect(truthTable(nums, sp.field("x").notIn([1, 9]))).toEqual([false, true, true, false, true]);
  });

  it("gt / ge / lt / le", () => {
    expect(truthTable(nums, sp.field("x").gt(8))).toEqual([false, false, false, true, true]);
    expect(truthTable(nums, sp.field("x").ge(8))).toEqual([false, false, true, true, true]);
    expect(truthTable(nums, sp.field("x").lt(8))).toEqual([true, true, false, false, false]);
    expect(truthTable(nums, sp.field("x").le(8))).toEqual([true, true, true, false, false]);
  });

  it("test: a custom predicate", () => {
    expect(
      truthTable(
        nums,
        sp.field("x").test((v: number) => v % 2 === 0, "x is even"),
      ),
    ).toEqual([false, false, true, false, true]);
  });

  it("and / or / not", () => {
    const x = sp.field("x");
    expect(truthTable(nums, sp.and(x.gt(1), x.lt(12)))).toEqual([false, true, true, true, false]);
    expect(truthTable(nums, sp.or(x.eq(1), x.eq(12)))).toEqual([true, false, false, false, true]);
    expect(truthTable(nums, sp.not(x.ge(8)))).toEqual([true, true, false, false, false]);
    expect(truthTable(nums, sp.and(x.gt(1), x.lt(12), x.ne(8)))).toEqual([
      false,
      true,
      false,
      true,
      false,
    ]);
  });

  it("isConfig: which config a choice among configs holds", () => {
    const Adam = sp.config("Adam", { lr: sp.float({ ge: 1e-4, le: 1e-2 }) });
    const Sgd = sp.config("Sgd", { momentum: sp.float({ ge: 0, le: 0.9 }) });
    const C = sp.config("C", {
      opt: sp.categorical([Adam, Sgd]),
      nesterov: sp.conditional(sp.field("opt").isConfig(Sgd), { true: sp.boolean(), false: false }),
    });
    for (const seed of seeds(40)) {
      const c = C.random({ seed });
      if (c.opt.__type__ === "Adam") expect(c.nesterov).toBe(false);
    }
    expect(C.parse({ opt: { momentum: 0.5 }, nesterov: true }).nesterov).toBe(true);
    expect(C.safeParse({ opt: { lr: 1e-3 }, nesterov: true }).success).toBe(false);
  });

  it("sp.fields: a predicate over several fields gets { path: value }", () => {
    const received: unknown[] = [];
    const C = sp.config("C", {
      a: sp.int({ ge: 0, le: 5 }),
      b: sp.int({ ge: 0, le: 5 }),
      big: sp.conditional(
        sp.fields(
          ["a", "b"],
          (v) => {
            received.push({ ...v });
            return v.a + v.b > 5;
          },
          "a + b > 5",
        ),
        { true: true, false: false },
      ),
    });
    expect(C.parse({ a: 3, b: 4 }).big).toBe(true);
    expect(C.parse({ a: 1, b: 4 }).big).toBe(false);
    expect(received).toEqual([
      { a: 3, b: 4 },
      { a: 1, b: 4 },
    ]);
  });

  it("and/or short-circuit: later conditions are not evaluated", () => {
    let calls = 0;
    const spy = sp.field("x").test(() => {
      calls++;
      return true;
    }, "spy");
    const make = (condition: sp.Condition) =>
      sp.config("S", {
        x: sp.categorical([1, 2]),
        out: sp.conditional(condition as sp.Condition<"x">, { true: "yes", false: "no" }),
      });
    expect(make(sp.and(sp.field("x").eq(2), spy)).parse({ x: 1 }).out).toBe("no");
    expect(make(sp.or(sp.field("x").eq(1), spy)).parse({ x: 1 }).out).toBe("yes");
    expect(calls).toBe(0);
    expect(make(sp.and(sp.field("x").eq(1), spy)).parse({ x: 1 }).out).toBe("yes");
    expect(calls).toBe(1);
  });
});

describe("conditions: equality by value and type", () => {
  it("eq(1) does not hold for true, '1' or 1.0-as-string; eq(true) does not hold for 1", () => {
    expect(truthTable([1, true, "1"], sp.field("x").eq(1))).toEqual([true, false, false]);
    expect(truthTable([1, true, "1"], sp.field("x").eq(true))).toEqual([false, true, false]);
    expect(truthTable([0, false, "", null], sp.field("x").eq(0))).toEqual([
      true,
      false,
      false,
      false,
    ]);
    expect(truthTable([0, false, "", null], sp.field("x").eq(null))).toEqual([
      false,
      false,
      false,
      true,
    ]);
  });

  it("in/notIn compare by value and type", () => {
    expect(truthTable([1, true, "1", "x"], sp.field("x").in([true, "x"]))).toEqual([
      false,
      true,
      false,
      true,
    ]);
    expect(truthTable([0, false], sp.field("x").notIn([false]))).toEqual([true, false]);
  });

  it("eq on arrays and objects is deep", () => {
    expect(truthTable([[1, 2], [2, 1], { a: 1 }], sp.field("x").eq([1, 2]))).toEqual([
      true,
      false,
      false,
    ]);
    expect(truthTable([{ a: 1, b: 2 }, { a: 1 }], sp.field("x").eq({ b: 2, a: 1 }))).toEqual([
      true,
      false,
    ]);
  });

  it("gt/ge/lt/le are false for non-numbers (no '10' > 8 coercion)", () => {
    expect(truthTable(["10", 10, null, true], sp.field("x").gt(8))).toEqual([
      false,
      true,
      false,
      false,
    ]);
  });
});

describe("conditions: rendering", () => {
  it("renders the SPEC examples", () => {
    expect(sp.field("num_encoder_layers").gt(8).render()).toBe("num_encoder_layers > 8");
    expect(sp.field("batch_size").le(32).render()).toBe("batch_size <= 32");
    expect(sp.field("use_dropout").eq(true).render()).toBe("use_dropout == true");
    expect(sp.field("optimizer").in(["adam", "sgd"]).render()).toBe("optimizer in ['adam', 'sgd']");
    expect(sp.and(sp.field("a").gt(1), sp.field("b").eq("x")).render()).toBe("a > 1 and b == 'x'");
  });

  it("renders every operator", () => {
    const A = sp.config("Adam", { x: 1 });
    expect(sp.field("a").ne(null).render()).toBe("a != null");
    expect(sp.field("a").ge(0.5).render()).toBe("a >= 0.5");
    expect(sp.field("a").lt(1e-5).render()).toBe("a < 1e-5");
    expect(sp.field("a").notIn([1, "x"]).render()).toBe("a not in [1, 'x']");
    expect(sp.field("opt").isConfig(A).render()).toBe("opt is Adam");
    expect(
      sp
        .field("a")
        .test(() => true, "a is prime")
        .render(),
    ).toBe("a is prime");
    expect(sp.fields(["a", "b"], () => true, "a fits b").render()).toBe("a fits b");
    expect(sp.not(sp.field("a").eq(1)).render()).toBe("not (a == 1)");
    expect(String(sp.field("model.depth").gt(8))).toBe("model.depth > 8");
  });

  it("parenthesises or inside and, and and inside or", () => {
    const a = sp.field("a").gt(1);
    const b = sp.field("b").eq("x");
    const c = sp.field("c").lt(2);
    expect(sp.and(sp.or(a, b), c).render()).toBe("(a > 1 or b == 'x') and c < 2");
    expect(sp.or(sp.and(a, b), c).render()).toBe("(a > 1 and b == 'x') or c < 2");
    expect(sp.or(a, b, c).render()).toBe("a > 1 or b == 'x' or c < 2");
    expect(sp.not(sp.and(a, b)).render()).toBe("not (a > 1 and b == 'x')");
  });

  it("quotes strings with quotes safely", () => {
    expect(sp.field("a").eq("it's").render()).toBe("a == 'it\\'s'");
  });
});

describe("conditions: dotted paths into nested configs", () => {
  const Model = sp.config("Model", { depth: sp.int({ ge: 1, le: 16 }) });
  const Outer = sp.config("Outer", {
    model: Model,
    checkpoint: sp.conditional(sp.field("model.depth").gt(8), { true: true, false: false }),
  });

  it("sampling follows the nested value", () => {
    for (const seed of seeds(30)) {
      const c = Outer.random({ seed });
      expect(c.checkpoint).toBe(c.model.depth > 8);
    }
  });

  it("validation follows the nested value", () => {
    expect(Outer.parse({ model: { depth: 10 } })).toEqual({
      model: { depth: 10 },
      checkpoint: true,
    });
    const r = Outer.safeParse({ model: { depth: 10 }, checkpoint: false });
    expect(r.success).toBe(false);
    if (!r.success) {
      expect(r.issues).toHaveLength(1);
      expect(r.issues[0]).toMatchObject({
        code: "fixed_value_mismatch",
        path: ["checkpoint"],
        input: false,
      });
      expect(r.issues[0]!.message).toContain("model.depth > 8");
    }
  });

  it("two levels deep", () => {
    const Inner = sp.config("Inner", { n: sp.int({ ge: 0, le: 3 }) });
    const Mid = sp.config("Mid", { inner: Inner });
    const Top = sp.config("Top", {
      mid: Mid,
      flag: sp.conditional(sp.field("mid.inner.n").eq(3), { true: "three", false: "other" }),
    });
    expect(Top.parse({ mid: { inner: { n: 3 } } }).flag).toBe("three");
    expect(Top.parse({ mid: { inner: { n: 2 } } }).flag).toBe("other");
  });

  it("a field reading a later-declared sibling is ordered after it", () => {
    const C = sp.config("C", {
      b: sp.conditional(sp.field("model.depth").gt(8), {
        true: sp.int({ ge: 1, le: 3 }),
        false: 0,
      }),
      model: Model,
    });
    expect(C.order.map((i) => C.fields[i]!.name)).toEqual(["model", "b"]);
    for (const seed of seeds(20)) {
      const c = C.random({ seed });
      if (c.model.depth <= 8) expect(c.b).toBe(0);
    }
  });
});

describe("conditions: definition errors", () => {
  const def = sp.SpaxDefinitionError;

  it("a condition on an unknown field", () => {
    const e = expectError(
      () =>
        sp.config("X", {
          a: sp.int({ ge: 0, le: 3 }),
          b: sp.conditional(sp.field("zz").eq(1), { true: 1, false: 2 }),
        } as never),
      def,
      "unknown_field",
      'unknown field "zz"',
    );
    expect(e.path).toBe("X.b");
  });

  it("a dotted path to a field the nested config lacks", () => {
    const M = sp.config("M", { depth: sp.int({ ge: 1, le: 4 }) });
    expectError(
      () =>
        sp.config("X", {
          m: M,
          b: sp.conditional(sp.field("m.width").eq(1), { true: 1, false: 2 }),
        } as never),
      def,
      "unknown_field",
      '"width"',
    );
  });

  it("a dotted path through a non-config (a number)", () => {
    expectError(
      () =>
        sp.config("X", {
          s: sp.int({ ge: 0, le: 3 }),
          b: sp.conditional(sp.field("s.x").eq(1), { true: 1, false: 2 }),
        } as never),
      def,
      "invalid_field_path",
      "s.x",
    );
  });

  it("a dotted path through a choice among configs", () => {
    const A = sp.config("A", { v: sp.int({ ge: 0, le: 10 }) });
    const B = sp.config("B", { v: sp.int({ ge: 0, le: 10 }) });
    const e = expectError(
      () =>
        sp.config("X", {
          c: sp.categorical([A, B]),
          b: sp.conditional(sp.field("c.v").gt(1), { true: 1, false: 2 }),
        } as never),
      def,
      "invalid_field_path",
      "c.v",
    );
    expect(e.message).toContain("isConfig");
  });

  it("a condition on the field itself", () => {
    expectError(
      () => sp.config("X", { a: sp.conditional(sp.field("a").eq(1), { true: 1, false: 2 }) }),
      def,
      "self_reference",
      "itself",
    );
  });

  it("a self-reference hidden in a nested branch", () => {
    expectError(
      () =>
        sp.config("X", {
          z: sp.int({ ge: 0, le: 3 }),
          a: sp.conditional(sp.field("z").gt(1), {
            true: sp.conditional(sp.field("a").eq(1), { true: 1, false: 2 }),
            false: 0,
          }),
        }),
      def,
      "self_reference",
    );
  });

  it("a cycle: the message lists the fields", () => {
    const e = expectError(
      () =>
        sp.config("X", {
          a: sp.conditional(sp.field("b").eq(1), { true: 1, false: 2 }),
          b: sp.conditional(sp.field("c").eq(1), { true: 1, false: 2 }),
          c: sp.conditional(sp.field("a").eq(1), { true: 1, false: 2 }),
        }),
      def,
      "circular_dependency",
    );
    for (const name of ["a", "b", "c"]) expect(e.message).toContain(name);
    expect(e.message).toContain("a -> b");
    expect(e.message).toContain("c -> a");
  });

  it("a two-field cycle through a nested branch condition", () => {
    expectError(
      () =>
        sp.config("X", {
          a: sp.conditional(sp.field("b").eq(1), { true: 1, false: 2 }),
          b: sp.conditional(sp.field("x").eq(true), {
            true: sp.conditional(sp.field("a").eq(1), { true: 1, false: 2 }),
            false: 1,
          }),
          x: sp.boolean(),
        }),
      def,
      "circular_dependency",
    );
  });

  it("a comparison that can never hold: eq on a categorical without that value", () => {
    expectError(
      () =>
        sp.config("X", {
          optimizer: sp.categorical(["adam", "sgd"]),
          b: sp.conditional(sp.field("optimizer").eq("adamw"), { true: 1, false: 2 }),
        }),
      def,
      "impossible_condition",
      "'adamw'",
      "optimizer",
    );
  });

  it("a comparison that can never hold: in with no possible value", () => {
    expectError(
      () =>
        sp.config("X", {
          optimizer: sp.categorical(["adam", "sgd"]),
          b: sp.conditional(sp.field("optimizer").in(["adamw"]), { true: 1, false: 2 }),
        }),
      def,
      "impossible_condition",
    );
  });

  it("a comparison that can never hold: types differ (1 vs a boolean, 'x' vs a number)", () => {
    expectError(
      () =>
        sp.config("X", {
          o: sp.boolean(),
          b: sp.conditional(sp.field("o").eq(1), { true: 1, false: 2 }),
        }),
      def,
      "impossible_condition",
    );
    expectError(
      () =>
        sp.config("X", {
          o: sp.int({ ge: 0, le: 3 }),
          b: sp.conditional(sp.field("o").eq("x"), { true: 1, false: 2 }),
        }),
      def,
      "impossible_condition",
    );
    expectError(
      () =>
        sp.config("X", {
          o: sp.categorical(["a", "b"]),
          b: sp.conditional(sp.field("o").gt(3), { true: 1, false: 2 }),
        }),
      def,
      "impossible_condition",
    );
  });

  it("a comparison that can never hold: eq outside an int's range", () => {
    // An int in [0, 3] is never 7; the conditional's true branch would be dead.
    expectError(
      () =>
        sp.config("X", {
          o: sp.int({ ge: 0, le: 3 }),
          b: sp.conditional(sp.field("o").eq(7), { true: 1, false: 2 }),
        }),
      def,
      "impossible_condition",
    );
  });

  it("isConfig for a config that is not a choice", () => {
    const A = sp.config("A", { x: 1 });
    const B = sp.config("B", { x: 2 });
    const Z = sp.config("Z", { x: 3 });
    expectError(
      () =>
        sp.config("X", {
          o: sp.categorical([A, B]),
          b: sp.conditional(sp.field("o").isConfig(Z), { true: 1, false: 2 }),
        }),
      def,
      "impossible_condition",
      "Z",
    );
  });

  it("a predicate returning a non-boolean fails with a SpaxError when evaluated", () => {
    const C = sp.config("C", {
      o: sp.int({ ge: 0, le: 3 }),
      b: sp.conditional(sp.field("o").test(((v: number) => v) as never, "o truthy"), {
        true: 1,
        false: 2,
      }),
    });
    expectError(() => C.random({ seed: 1 }), sp.SpaxError, "condition_not_boolean", "o truthy");
    expectError(() => C.parse({ o: 1 }), sp.SpaxError, "condition_not_boolean");
  });

  it("a predicate that throws is wrapped in a SpaxError", () => {
    const C = sp.config("C", {
      o: sp.int({ ge: 0, le: 3 }),
      b: sp.conditional(
        sp.field("o").test(() => {
          throw new Error("boom");
        }, "explodes"),
        { true: 1, false: 2 },
      ),
    });
    const e = expectError(() => C.random({ seed: 1 }), sp.SpaxError, "condition_threw", "boom");
    expect(e.cause).toBeInstanceOf(Error);
  });

  it("malformed paths and operands", () => {
    expectError(() => sp.field("a..b"), def, "invalid_field_path", "empty segment");
    expectError(() => sp.field(""), def, "invalid_field_path");
    expectError(() => sp.field("a").gt(Number.NaN), def, "invalid_condition", "finite number");
    expectError(() => sp.field("a").in([]), def, "invalid_condition", "non-empty array");
    expectError(() => sp.field("a").eq(undefined as never), def, "not_json");
    expectError(() => sp.fields([], () => true), def, "invalid_condition");
    expectError(() => sp.fields(["a", "a"], () => true), def, "invalid_condition", "twice");
    expectError(() => sp.and(), def, "invalid_condition");
    expectError(() => sp.not("a == 1" as never), def, "invalid_condition");
  });

  it("junk is a SpaxError for every condition builder, never a TypeError", () => {
    const builders: [string, (j: unknown) => unknown][] = [
      ["field", (j) => sp.field(j as never)],
      ["eq", (j) => sp.field("a").eq(j as never)],
      ["in", (j) => sp.field("a").in(j as never)],
      ["gt", (j) => sp.field("a").gt(j as never)],
      ["isConfig", (j) => sp.field("a").isConfig(j as never)],
      ["test", (j) => sp.field("a").test(j as never)],
      ["fields(paths)", (j) => sp.fields(j as never, () => true)],
      ["fields(fn)", (j) => sp.fields(["a"], j as never)],
      ["and", (j) => sp.and(j as never)],
      ["or", (j) => sp.or(j as never, j as never)],
      ["not", (j) => sp.not(j as never)],
      ["conditional(condition)", (j) => sp.conditional(j as never, { true: 1, false: 2 })],
      ["conditional(branches)", (j) => sp.conditional(sp.field("a").eq(1), j as never)],
    ];
    // Values that are legitimately accepted by a builder.
    const valid: Record<string, string[]> = {
      field: ["string"],
      eq: [
        "number",
        "string",
        "null",
        "empty array",
        "array",
        "boolean",
        "empty object",
        "null-prototype object",
      ],
      in: ["array"],
      gt: ["number"],
      test: ["function"],
      "fields(fn)": ["function"],
    };
    for (const [name, build] of builders) {
      for (const [label, junk] of JUNK) {
        if (valid[name]?.includes(label)) continue;
        const e = thrown(() => build(junk));
        expect(e, `${name}(${label})`).toBeInstanceOf(sp.SpaxError);
      }
    }
  });
});
