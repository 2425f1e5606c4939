import { describe, expect, it } from "vitest";
import * as sp from "../../src/index.js";
import { expectError, JUNK, seeds, thrown } from "./helpers.js";

/** toJSON → JSON text → spaceFromJSON: the same document and the same seeded samples. */
function expectRoundTrip(C: sp.ConfigSpace, options?: Parameters<typeof sp.spaceFromJSON>[1]) {
  const doc = JSON.parse(JSON.stringify(C.toJSON()));
  const back = sp.spaceFromJSON(doc, options);
  expect(back.toJSON()).toEqual(C.toJSON());
  expect(back.name).toBe(C.name);
  for (const seed of seeds(15)) expect(back.random({ seed })).toEqual(C.random({ seed }));
  expect(back.parameterNames()).toEqual(C.parameterNames());
  expect(back.tree()).toBe(C.tree());
  return back;
}

describe("toJSON / spaceFromJSON round trips", () => {
  it("the document shape", () => {
    const C = sp.config("C", { a: sp.int({ ge: 0, le: 3 }) });
    expect(C.toJSON()).toEqual({
      spax: 1,
      space: {
        type: "config",
        name: "C",
        fields: [{ name: "a", space: { type: "int", ge: 0, le: 3 } }],
      },
    });
  });

  it("numbers: every bound kind, log, step, default, description", () => {
    expectRoundTrip(
      sp.config("N", {
        a: sp.float({ ge: 0, le: 1 }),
        b: sp.float({ gt: 0, lt: 1 }),
        c: sp.float({ ge: 1e-5, le: 1e-1, log: true, default: 1e-3, description: "lr" }),
        d: sp.int({ gt: 0, le: 100 }),
        e: sp.int({ ge: 16, le: 512, log: true }),
        f: sp.int({ ge: 1, le: 10, step: 3, default: 4 }),
        g: sp.float({ ge: 0, le: 1.2, step: 0.2 }),
      }),
    );
  });

  it("categoricals: values of every JSON type, weights, defaults, descriptions", () => {
    expectRoundTrip(
      sp.config("K", {
        a: sp.categorical([1, "1", true, null, 0, "", [1, 2], { k: "v" }]),
        b: sp.categorical([sp.choice("adam", { weight: 3 }), "sgd", "rmsprop"], {
          default: "sgd",
          description: "optimizer",
        }),
        c: sp.boolean(),
        d: sp.categorical(["only"]),
        e: sp.categorical(["x", null], { default: null }),
      }),
    );
  });

  it("fixed values of every JSON type", () => {
    expectRoundTrip(
      sp.config("F", { s: "x", n: 1.5, b: false, z: null, arr: [1, [2]], obj: { a: { b: 1 } } }),
    );
  });

  it("nested configs, config choices (weighted, with null), configs in branches", () => {
    const Inner = sp.config("Inner", { v: sp.int({ ge: 0, le: 9 }) }, { description: "inner" });
    const A = sp.config("A", { a: sp.int({ ge: 0, le: 10 }) });
    const B = sp.config("B", { b: sp.float({ ge: 0, le: 1 }), inner: Inner });
    expectRoundTrip(
      sp.config("Outer", {
        inner: Inner,
        pick: sp.categorical([sp.choice(A, { weight: 2 }), B, null]),
        on: sp.boolean(),
        branch: sp.conditional(sp.field("on").eq(true), { true: B, false: null }),
      }),
    );
  });

  it("conditionals with every operator, and/or/not, nested conditionals, dotted paths", () => {
    const A = sp.config("A", { a: sp.int({ ge: 0, le: 10 }) });
    const B = sp.config("B", { b: sp.int({ ge: 0, le: 10 }) });
    const Inner = sp.config("Inner", { depth: sp.int({ ge: 1, le: 16 }) });
    const x = sp.field("x");
    expectRoundTrip(
      sp.config("Cond", {
        x: sp.int({ ge: 0, le: 10 }),
        o: sp.categorical(["adam", "sgd", "rms"]),
        pick: sp.categorical([A, B]),
        inner: Inner,
        c1: sp.conditional(x.eq(3), { true: 1, false: 0 }),
        c2: sp.conditional(x.ne(3), { true: 1, false: 0 }),
        c3: sp.conditional(sp.field("o").in(["adam", "sgd"]), { true: 1, false: 0 }),
        c4: sp.conditional(sp.field("o").notIn(["rms"]), { true: 1, false: 0 }),
        c5: sp.conditional(sp.and(x.gt(1), x.ge(2), x.lt(9), x.le(8)), { true: 1, false: 0 }),
        c6: sp.conditional(sp.or(x.eq(0), sp.not(x.lt(5))), { true: 1, false: 0 }),
        c7: sp.conditional(sp.field("pick").isConfig(B), { true: 1, false: 0 }),
        c8: sp.conditional(sp.field("inner.depth").gt(8), {
          true: sp.conditional(x.gt(5), { true: sp.float({ ge: 0, le: 1 }), false: 2 }),
          false: 3,
        }),
      }),
    );
  });

  it("constraints and test conditions need their functions, given by label", () => {
    const big = (v: number) => v > 3;
    const sum = (v: { a: number; b: number }) => v.a + v.b > 5;
    const notFour = (c: { a: number }) => c.a !== 4;
    const P = sp
      .config("P", {
        a: sp.int({ ge: 0, le: 9 }),
        b: sp.conditional(sp.field("a").test(big, "big a"), {
          true: sp.int({ ge: 0, le: 3 }),
          false: 0,
        }),
        c: sp.conditional(sp.fields(["a", "b"], sum, "sum"), { true: 1, false: 2 }),
      })
      .refine(notFour, "a is not 4");
    expect(P.toJSON().space.constraints).toEqual([{ message: "a is not 4" }]);
    expectRoundTrip(P, {
      functions: { "big a": big as never, sum: sum as never, "a is not 4": notFour as never },
    });
  });

  it("without the functions, loading fails naming the missing labels (unless allowMissingFunctions)", () => {
    const P = sp.config("P", {
      a: sp.int({ ge: 0, le: 9 }),
      b: sp.conditional(
        sp.field("a").test((v: number) => v > 3, "big a"),
        { true: 1, false: 0 },
      ),
    });
    const doc = JSON.parse(JSON.stringify(P.toJSON()));
    const missing = expectError(
      () => sp.spaceFromJSON(doc),
      sp.SpaxDefinitionError,
      "missing_function",
    );
    expect(missing.message).toContain('"big a"');
    const back = sp.spaceFromJSON(doc, { allowMissingFunctions: true });
    expect(back.toJSON()).toEqual(P.toJSON());
    const e = thrown(() => back.random({ seed: 1 }));
    expect(e).toBeInstanceOf(sp.SpaxError);
    expect(e.message).toContain("big a");
    expect(e.message).toContain("functions");

    const R = sp.config("R", { a: sp.int({ ge: 0, le: 9 }) }).refine((c) => c.a > 0, "positive");
    const r = sp.spaceFromJSON(JSON.parse(JSON.stringify(R.toJSON())), {
      allowMissingFunctions: true,
    });
    const e2 = thrown(() => r.parse({ a: 1 }));
    expect(e2).toBeInstanceOf(sp.SpaxError);
    expect(e2.message).toContain("positive");
  });

  it("a narrowed space round-trips", () => {
    const C = sp.config("C", {
      lr: sp.float({ ge: 1e-5, le: 0.1, log: true }),
      n: sp.int({ ge: 1, le: 100, default: 50 }),
      o: sp.categorical([sp.choice("a", { weight: 3 }), "b", "c"]),
    });
    expectRoundTrip(C.narrow({ lr: { ge: 1e-4 }, n: [10, 50], o: ["a", "c"] }));
  });

  it("toJSON is deterministic and survives JSON.stringify unchanged", () => {
    const C = sp.config("C", {
      x: sp.int({ ge: 0, le: 5 }),
      y: sp.int({ ge: 0, le: 5 }),
      z: sp.conditional(
        sp.fields(["y", "x"], (v) => v.x > v.y, "x above y"),
        { true: 1, false: 0 },
      ),
    });
    expect(JSON.stringify(C.toJSON())).toBe(JSON.stringify(C.toJSON()));
    // Paths keep the order they were given in (SpaX printed a set: defect 12).
    expect(C.toJSON().space.fields[2]!.space).toMatchObject({
      condition: { fields: ["y", "x"], op: "test", label: "x above y" },
    });
  });
});

describe("spaceFromJSON: malformed documents", () => {
  const def = sp.SpaxDefinitionError;
  const doc = (space: unknown) => ({ spax: 1, space });
  const withField = (space: unknown) =>
    doc({
      type: "config",
      name: "X",
      fields: [
        { name: "a", space: { type: "int", ge: 0, le: 3 } },
        { name: "b", space },
      ],
    });

  it("not a spax document", () => {
    for (const bad of [null, 5, "x", [], {}, { spax: 2, space: {} }, { space: {} }]) {
      expectError(() => sp.spaceFromJSON(bad), def, "invalid_space_json");
    }
  });

  it("the root must be a config", () => {
    const e = expectError(
      () => sp.spaceFromJSON(doc({ type: "float", ge: 0, le: 1 })),
      def,
      "invalid_space_json",
    );
    expect(e.path).toBe("space");
  });

  it("errors name the path of the malformed entry", () => {
    const cases: [unknown, string][] = [
      [{ type: "blob" }, "space.fields[1].space"],
      [{ type: "categorical", choices: 5 }, "space.fields[1].space"],
      [
        { type: "categorical", choices: [{ config: 5 }] },
        "space.fields[1].space.choices[0].config",
      ],
      [{ type: "categorical", choices: [7] }, "space.fields[1].space.choices[0]"],
      [{ type: "fixed" }, "space.fields[1].space"],
      [
        {
          type: "conditional",
          condition: 5,
          true: { type: "fixed", value: 1 },
          false: { type: "fixed", value: 2 },
        },
        "space.fields[1].space.condition",
      ],
      [
        {
          type: "conditional",
          condition: { field: "a", op: "zz", value: 1 },
          true: { type: "fixed", value: 1 },
          false: { type: "fixed", value: 2 },
        },
        "space.fields[1].space.condition",
      ],
      [
        {
          type: "conditional",
          condition: { field: "a", op: "in", values: 5 },
          true: { type: "fixed", value: 1 },
          false: { type: "fixed", value: 2 },
        },
        "space.fields[1].space.condition",
      ],
      [
        {
          type: "conditional",
          condition: { field: "a", op: "gt", value: "x" },
          true: { type: "fixed", value: 1 },
          false: { type: "fixed", value: 2 },
        },
        "space.fields[1].space.condition",
      ],
      [5, "space.fields[1].space"],
    ];
    for (const [space, path] of cases) {
      const e = thrown(() => sp.spaceFromJSON(withField(space)));
      expect(e, JSON.stringify(space)).toBeInstanceOf(def);
      expect(e.path, JSON.stringify(space)).toBe(path);
    }
    const f = thrown(() => sp.spaceFromJSON(doc({ type: "config", name: "X", fields: [5] })));
    expect(f).toBeInstanceOf(def);
    expect(f.path).toBe("space.fields[0]");
  });

  it("invalid numbers are definition errors at their path", () => {
    const e = thrown(() => sp.spaceFromJSON(withField({ type: "float", ge: 1 })));
    expect(e).toBeInstanceOf(def);
    expect(e.path).toBe("space.fields[1].space");
    expect(thrown(() => sp.spaceFromJSON(withField({ type: "int", ge: 5, le: 1 })))).toBeInstanceOf(
      def,
    );
  });

  it("a number with both ge and gt, or a non-boolean log, is malformed (not silently accepted)", () => {
    const both = thrown(() => sp.spaceFromJSON(withField({ type: "int", ge: 0, gt: 1, le: 3 })));
    expect(both).toBeInstanceOf(def);
    expect(both.path).toBe("space.fields[1].space");
    expect(
      thrown(() => sp.spaceFromJSON(withField({ type: "int", ge: 1, le: 3, log: "yes" }))),
    ).toBeInstanceOf(def);
    expect(
      thrown(() => sp.spaceFromJSON(withField({ type: "int", ge: 1, le: 3, lo: 2 }))),
    ).toBeInstanceOf(def);
  });

  it("bad weights, names and constraints", () => {
    expectError(
      () =>
        sp.spaceFromJSON(
          withField({ type: "categorical", choices: [{ value: 1, weight: -1 }, { value: 2 }] }),
        ),
      def,
      "invalid_weight",
    );
    expect(
      thrown(() => sp.spaceFromJSON(doc({ type: "config", name: 5, fields: [] }))),
    ).toBeInstanceOf(def);
    expectError(
      () =>
        sp.spaceFromJSON(
          doc({ type: "config", name: "X", fields: [], constraints: [{ message: 3 }] }),
        ),
      def,
      "invalid_space_json",
    );
  });

  it("a condition on an unknown field", () => {
    const e = thrown(() =>
      sp.spaceFromJSON(
        withField({
          type: "conditional",
          condition: { field: "zz", op: "eq", value: 1 },
          true: { type: "fixed", value: 1 },
          false: { type: "fixed", value: 2 },
        }),
      ),
    );
    expect(e).toBeInstanceOf(def);
    expect(e.code).toBe("unknown_field");
    expect(e.message).toContain('"zz"');
  });

  it("junk anywhere is a SpaxDefinitionError, never a TypeError", () => {
    for (const [label, junk] of JUNK) {
      expect(
        thrown(() => sp.spaceFromJSON(junk)),
        label,
      ).toBeInstanceOf(def);
      expect(
        thrown(() => sp.spaceFromJSON(withField(junk))),
        `field ${label}`,
      ).toBeInstanceOf(def);
      expect(
        thrown(() =>
          sp.spaceFromJSON(
            withField({
              type: "conditional",
              condition: junk,
              true: { type: "fixed", value: 1 },
              false: { type: "fixed", value: 2 },
            }),
          ),
        ),
        `condition ${label}`,
      ).toBeInstanceOf(def);
    }
  });

  it("junk options are SpaxErrors, never TypeErrors", () => {
    const C = sp.config("C", { a: sp.int({ ge: 0, le: 3 }) });
    for (const [label, junk] of JUNK) {
      if (label === "undefined" || label === "empty object" || label === "null-prototype object")
        continue;
      let error: unknown;
      try {
        sp.spaceFromJSON(C.toJSON(), junk as never);
      } catch (e) {
        error = e;
      }
      if (error !== undefined) expect(error, label).toBeInstanceOf(sp.SpaxError);
    }
  });
});
