import { describe, expect, it } from "vitest";
import * as sp from "../../src/index.js";
import { expectError, JUNK, seeds, thrown } from "./helpers.js";

/** A one-field config around `space`, to sample, validate and draw it. */
function wrap(space: sp.AnySpace) {
  return sp.config("N", { v: space as sp.FloatSpace });
}

function samples(space: sp.AnySpace, n = 300): number[] {
  const C = wrap(space);
  return seeds(n).map((seed) => C.random({ seed }).v);
}

describe("number spaces: bounds", () => {
  it("ge/le are inclusive: both ends validate, beyond does not", () => {
    const C = wrap(sp.float({ ge: 0, le: 1 }));
    expect(C.parse({ v: 0 })).toEqual({ v: 0 });
    expect(C.parse({ v: 1 })).toEqual({ v: 1 });
    expect(C.safeParse({ v: -1e-300 }).success).toBe(false);
    expect(C.safeParse({ v: 1 + Number.EPSILON }).success).toBe(false);
  });

  it("gt/lt are exclusive: the bounds themselves are rejected", () => {
    const C = wrap(sp.float({ gt: 0, lt: 1 }));
    const low = C.safeParse({ v: 0 });
    const high = C.safeParse({ v: 1 });
    expect(low.success).toBe(false);
    expect(high.success).toBe(false);
    if (!low.success) {
      expect(low.issues[0]).toMatchObject({
        code: "too_small",
        path: ["v"],
        input: 0,
        bound: 0,
        inclusive: false,
      });
    }
    if (!high.success) {
      expect(high.issues[0]).toMatchObject({ code: "too_big", bound: 1, inclusive: false });
    }
    expect(C.parse({ v: Number.MIN_VALUE })).toEqual({ v: Number.MIN_VALUE });
  });

  it("int gt/lt exclude the bounds: gt 0 lt 5 holds exactly 1..4", () => {
    const C = wrap(sp.int({ gt: 0, lt: 5 }));
    const values = new Set(seeds(200).map((seed) => C.random({ seed }).v));
    expect([...values].sort()).toEqual([1, 2, 3, 4]);
    expect(C.safeParse({ v: 0 }).success).toBe(false);
    expect(C.safeParse({ v: 5 }).success).toBe(false);
  });

  it("float samples stay inside inclusive and exclusive bounds", () => {
    for (const v of samples(sp.float({ gt: 2, lt: 3 }))) {
      expect(v).toBeGreaterThan(2);
      expect(v).toBeLessThan(3);
    }
    for (const v of samples(sp.float({ ge: -1, le: 1 }))) {
      expect(v).toBeGreaterThanOrEqual(-1);
      expect(v).toBeLessThanOrEqual(1);
    }
  });

  it("exclusive float bounds are never returned, even for a range of a few ulps", () => {
    // SpaX shifts by 1e-10, which jumps far outside such a range; spax must redraw instead.
    const low = 1;
    const high = 1 + 4 * Number.EPSILON;
    for (const v of samples(sp.float({ gt: low, lt: high }), 200)) {
      expect(v).toBeGreaterThan(low);
      expect(v).toBeLessThan(high);
    }
  });

  it("int samples cover every value of a small range, and nothing else", () => {
    const values = new Set(samples(sp.int({ ge: -2, le: 2 })));
    expect([...values].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2]);
  });

  it("ints may use bounds beyond 2^32 (safe integers)", () => {
    const C = wrap(sp.int({ ge: 2 ** 40, le: 2 ** 40 + 3 }));
    for (const seed of seeds(20)) {
      const v = C.random({ seed }).v;
      expect(Number.isSafeInteger(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(2 ** 40);
      expect(v).toBeLessThanOrEqual(2 ** 40 + 3);
    }
  });
});

describe("number spaces: log scale", () => {
  it("log float samples lie in range and spread over the decades", () => {
    const values = samples(sp.float({ ge: 1e-5, le: 1e-1, log: true }), 400);
    for (const v of values) {
      expect(v).toBeGreaterThanOrEqual(1e-5);
      expect(v).toBeLessThanOrEqual(1e-1);
    }
    // Uniform in log space: about a quarter below 1e-4; uniform sampling would give ~0.1%.
    const small = values.filter((v) => v < 1e-4).length;
    expect(small).toBeGreaterThan(60);
    expect(small).toBeLessThan(140);
  });

  it("log int samples are integers in range, skewed to small values", () => {
    const values = samples(sp.int({ ge: 1, le: 1000, log: true }), 400);
    for (const v of values) {
      expect(Number.isInteger(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(1);
      expect(v).toBeLessThanOrEqual(1000);
    }
    expect(values.filter((v) => v <= 31).length).toBeGreaterThan(140);
  });

  it("log is part of toJSON and the tree", () => {
    const C = wrap(sp.float({ ge: 1e-5, le: 0.1, log: true }));
    expect(C.toJSON().space.fields[0]!.space).toEqual({
      type: "float",
      ge: 1e-5,
      le: 0.1,
      log: true,
    });
    expect(C.tree()).toBe("N\n└─ v: Float([1e-5, 0.1], log)");
  });
});

describe("number spaces: step", () => {
  it("int ge 1 le 10 step 3 is the grid {1, 4, 7, 10}", () => {
    const C = wrap(sp.int({ ge: 1, le: 10, step: 3 }));
    expect([...C.grid()].map((c) => c.v)).toEqual([1, 4, 7, 10]);
    expect(new Set(samples(sp.int({ ge: 1, le: 10, step: 3 }), 200))).toEqual(
      new Set([1, 4, 7, 10]),
    );
  });

  it("the grid is anchored at the lower bound, also for exclusive bounds", () => {
    // gt 0 lt 10 step 2: grid points 0, 2, …, 10, of which 2..8 lie strictly inside.
    const C = wrap(sp.int({ gt: 0, lt: 10, step: 2 }));
    expect([...C.grid()].map((c) => c.v)).toEqual([2, 4, 6, 8]);
  });

  it("values off the grid are rejected by validation", () => {
    const C = wrap(sp.int({ ge: 1, le: 10, step: 3 }));
    const r = C.safeParse({ v: 5 });
    expect(r.success).toBe(false);
    if (!r.success) {
      expect(r.issues).toHaveLength(1);
      expect(r.issues[0]).toMatchObject({ code: "not_on_step", path: ["v"], input: 5 });
    }
    expect(C.parse({ v: 7 })).toEqual({ v: 7 });
  });

  it("float steps have no drift in grid()", () => {
    const C = wrap(sp.float({ ge: 0, le: 1.2, step: 0.2 }));
    expect([...C.grid()].map((c) => c.v)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1, 1.2]);
    const D = wrap(sp.float({ ge: 0.1, le: 0.7, step: 0.1 }));
    // 0.1 + 2·0.1 is 0.30000000000000004 in floating point.
    expect([...D.grid()].map((c) => c.v)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
  });

  it("float steps have no drift in random samples", () => {
    const allowed = new Set([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
    const seen = new Set(samples(sp.float({ ge: 0.1, le: 0.7, step: 0.1 }), 300));
    for (const v of seen) expect(allowed.has(v)).toBe(true);
    expect(seen).toEqual(allowed);
  });

  it("grid points validate (0.6, 0.3); values drifted by binary arithmetic snap to the exact point", () => {
    const C = wrap(sp.float({ ge: 0, le: 1.2, step: 0.2 }));
    expect(C.parse({ v: 0.6 })).toEqual({ v: 0.6 });
    // 3 × 0.2 = 0.6000000000000001 in binary; it means the grid point 0.6.
    expect(C.parse({ v: 3 * 0.2 })).toStrictEqual({ v: 0.6 });
    expect(C.safeParse({ v: 0.61 }).success).toBe(false);
    const D = wrap(sp.float({ ge: 0.1, le: 0.7, step: 0.1 }));
    expect(D.parse({ v: 0.3 })).toEqual({ v: 0.3 });
  });

  it("grid() of a continuous float is a definition error naming the field", () => {
    const C = wrap(sp.float({ ge: 0, le: 1 }));
    const e = expectError(() => [...C.grid()], sp.SpaxDefinitionError, "infinite_grid");
    expect(e.path).toBe("N.v");
  });
});

describe("number spaces: default and description", () => {
  it("a default fills a missing field", () => {
    const C = wrap(sp.float({ ge: 0, le: 1, default: 0.25 }));
    expect(C.parse({})).toEqual({ v: 0.25 });
  });

  it("a default does not change sampling", () => {
    const A = wrap(sp.int({ ge: 0, le: 100, default: 5 }));
    const B = wrap(sp.int({ ge: 0, le: 100 }));
    expect(seeds(10).map((seed) => A.random({ seed }))).toEqual(
      seeds(10).map((seed) => B.random({ seed })),
    );
  });

  it("the description is kept on the space and in toJSON", () => {
    const space = sp.int({ ge: 1, le: 8, description: "layers" });
    expect(space.description).toBe("layers");
    expect(wrap(space).toJSON().space.fields[0]!.space).toEqual({
      type: "int",
      ge: 1,
      le: 8,
      description: "layers",
    });
  });
});

describe("number spaces: definition errors", () => {
  const def = sp.SpaxDefinitionError;

  it("log float with a lower bound <= 0", () => {
    expectError(
      () => sp.float({ ge: 0, le: 1, log: true }),
      def,
      "log_needs_positive",
      "log",
      "ge: 0",
    );
    expectError(
      () => sp.float({ ge: -1, le: 1, log: true }),
      def,
      "log_needs_positive",
      "log",
      "ge: -1",
    );
  });

  it("log float with gt: 0 is an error (SpaX accepted it)", () => {
    expectError(
      () => sp.float({ gt: 0, le: 1, log: true }),
      def,
      "log_needs_positive",
      "log",
      "gt: 0",
    );
  });

  it("log int with a lower bound < 1", () => {
    expectError(
      () => sp.int({ ge: 0, le: 10, log: true }),
      def,
      "log_needs_positive",
      ">= 1",
      "ge: 0",
    );
    // gt: 0 for an int means the smallest value is 1, which log can handle.
    expect(sp.int({ gt: 0, le: 10, log: true }).min).toBe(1);
  });

  it("low >= high", () => {
    expectError(
      () => sp.float({ ge: 10, le: 5 }),
      def,
      "empty_range",
      "lower bound (10)",
      "upper bound (5)",
    );
    expectError(() => sp.int({ ge: 5, le: 5 }), def, "empty_range", "(5)");
  });

  it("an int range without integers", () => {
    // SpaX constructs Int(gt=0, lt=1) and crashes at sampling (defect 9).
    expectError(() => sp.int({ gt: 0, lt: 1 }), def, "empty_range", "(0, 1)");
  });

  it("two lower bounds or two upper bounds", () => {
    expectError(
      () => sp.float({ ge: 0, gt: 0, le: 1 } as never),
      def,
      "two_lower_bounds",
      "gt or ge",
    );
    expectError(
      () => sp.float({ ge: 0, lt: 1, le: 1 } as never),
      def,
      "two_upper_bounds",
      "lt or le",
    );
  });

  it("missing bounds", () => {
    expectError(() => sp.float({ le: 1 } as never), def, "missing_bound", "lower bound");
    expectError(() => sp.int({ ge: 1 } as never), def, "missing_bound", "upper bound");
    expectError(() => sp.int({} as never), def, "missing_bound");
  });

  it("a step that does not divide the range", () => {
    expectError(
      () => sp.int({ ge: 1, le: 10, step: 4 }),
      def,
      "step_not_dividing",
      "step 4",
      "1..10",
    );
    expectError(
      () => sp.float({ ge: 0, le: 1, step: 0.3 }),
      def,
      "step_not_dividing",
      "step 0.3",
      "0..1",
    );
  });

  it("a step that is not a positive number, or not an integer for ints", () => {
    expectError(() => sp.float({ ge: 0, le: 1, step: 0 }), def, "invalid_step", "got 0");
    expectError(() => sp.float({ ge: 0, le: 1, step: -0.5 }), def, "invalid_step", "-0.5");
    expectError(() => sp.int({ ge: 0, le: 3, step: 1.5 }), def, "invalid_step", "1.5");
  });

  it("step with log", () => {
    expectError(() => sp.float({ ge: 1, le: 3, step: 1, log: true }), def, "step_with_log");
  });

  it("NaN and Infinity bounds", () => {
    expectError(() => sp.float({ ge: Number.NaN, le: 1 }), def, "invalid_bound", "ge", "NaN");
    expectError(
      () => sp.float({ ge: 0, le: Number.POSITIVE_INFINITY }),
      def,
      "invalid_bound",
      "le",
      "Infinity",
    );
    expectError(
      () => sp.int({ gt: Number.NEGATIVE_INFINITY, lt: 0 }),
      def,
      "invalid_bound",
      "gt",
      "-Infinity",
    );
  });

  it("non-numeric bounds", () => {
    expectError(() => sp.float({ ge: "0", le: 1 } as never), def, "invalid_bound", '"0"');
    expectError(() => sp.int({ ge: 0, le: true } as never), def, "invalid_bound", "true");
  });

  it("non-integer and unsafe int bounds", () => {
    expectError(() => sp.int({ ge: 0.5, le: 3 }), def, "invalid_bound", "ge", "0.5");
    expectError(() => sp.int({ ge: 0, le: 2 ** 53 }), def, "invalid_bound", "le");
  });

  it("a default outside the range", () => {
    expectError(
      () => sp.int({ ge: 0, le: 3, default: 5 }),
      def,
      "invalid_default",
      "default 5",
      "[0, 3]",
    );
    expectError(
      () => sp.float({ gt: 0, le: 1, default: 0 }),
      def,
      "invalid_default",
      "default 0",
      "(0, 1]",
    );
  });

  it("a default off the step grid", () => {
    expectError(
      () => sp.int({ ge: 0, le: 10, step: 2, default: 3 }),
      def,
      "invalid_default",
      "default 3",
    );
  });

  it("a non-integer default for an int", () => {
    // Otherwise parse({}) would fill an int field with 1.5.
    expectError(
      () => sp.int({ ge: 0, le: 3, default: 1.5 }),
      def,
      "invalid_default",
      "default 1.5",
      "integer",
    );
  });

  it("a non-numeric default", () => {
    expectError(() => sp.float({ ge: 0, le: 1, default: "0.5" } as never), def, "invalid_default");
    expectError(
      () => sp.float({ ge: 0, le: 1, default: Number.NaN }),
      def,
      "invalid_default",
      "NaN",
    );
  });

  it("unknown option keys", () => {
    const e = expectError(
      () => sp.float({ ge: 0, le: 1, distribution: "log" } as never),
      def,
      "invalid_option",
      'unknown option "distribution"',
    );
    expect(e.message).toContain("gt, ge, lt, le, log, step, default, description");
    expectError(() => sp.int({ ge: 0, le: 1, lowe: 0 } as never), def, "invalid_option", '"lowe"');
  });

  it("log and description of the wrong type", () => {
    expectError(
      () => sp.float({ ge: 1, le: 2, log: "yes" } as never),
      def,
      "invalid_option",
      "log",
      '"yes"',
    );
    expectError(
      () => sp.float({ ge: 1, le: 2, description: 5 } as never),
      def,
      "invalid_option",
      "description",
    );
  });

  it("the message names the factory call and its options", () => {
    const e = thrown(() => sp.int({ ge: 1, le: 10, step: 4 }));
    expect(e.message).toBe(
      "sp.int({ge: 1, le: 10, step: 4}): step 4 does not divide the range 1..10 (a step grid is anchored at the lower bound)",
    );
  });

  it("junk instead of an options object is a SpaxDefinitionError, never a TypeError", () => {
    for (const [label, junk] of JUNK) {
      if (label === "empty object" || label === "null-prototype object") continue;
      for (const factory of [sp.float, sp.int]) {
        const e = thrown(() => factory(junk as never));
        expect(e, `${factory.name}(${label})`).toBeInstanceOf(sp.SpaxDefinitionError);
      }
    }
  });

  it("junk bounds, steps and defaults are SpaxDefinitionErrors", () => {
    for (const [label, junk] of JUNK) {
      if (label === "undefined" || label === "number") continue;
      const cases: [string, () => unknown][] = [
        ["ge", () => sp.float({ ge: junk as never, le: 1 })],
        ["le", () => sp.int({ ge: 0, le: junk as never })],
        ["step", () => sp.float({ ge: 0, le: 1, step: junk as never })],
        ["default", () => sp.float({ ge: 0, le: 1, default: junk as never })],
      ];
      for (const [what, fn] of cases) {
        const e = thrown(fn);
        expect(e, `${what} = ${label}`).toBeInstanceOf(sp.SpaxDefinitionError);
      }
    }
  });
});
