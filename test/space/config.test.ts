import { describe, expect, it } from "vitest";
import * as sp from "../../src/index.js";
import { type Call, expectError, JUNK, RecordingSampler, seeds, thrown } from "./helpers.js";

const names = (C: sp.ConfigSpace) => C.order.map((i) => C.fields[i]!.name);

describe("config: nested configs", () => {
  const Inner = sp.config("Inner", { value: sp.int({ ge: 0, le: 10 }), tag: "t" });
  const Outer = sp.config("Outer", { x: sp.int({ ge: 0, le: 100 }), inner: Inner });

  it("samples the nested config as a plain object without __type__", () => {
    const c = Outer.random({ seed: 42 });
    expect(c).toEqual({ x: 81, inner: { value: 1, tag: "t" } });
    expect("__type__" in c.inner).toBe(false);
  });

  it("validates nested fields with nested paths", () => {
    const r = Outer.safeParse({ x: 1, inner: { value: 11 } });
    expect(r.success).toBe(false);
    if (!r.success) {
      expect(r.issues).toEqual([
        expect.objectContaining({ code: "too_big", path: ["inner", "value"], input: 11 }),
      ]);
    }
  });

  it("accepts a nested config with or without __type__, and drops it from the result", () => {
    expect(Outer.parse({ x: 1, inner: { value: 2, __type__: "Inner" } })).toEqual({
      x: 1,
      inner: { value: 2, tag: "t" },
    });
    expect(Outer.parse({ x: 1, inner: { value: 2 } })).toEqual({
      x: 1,
      inner: { value: 2, tag: "t" },
    });
  });

  it("a nested config with a wrong __type__ is an issue", () => {
    const r = Outer.safeParse({ x: 1, inner: { value: 2, __type__: "Other" } });
    expect(r.success).toBe(false);
    if (!r.success) {
      expect(r.issues[0]).toMatchObject({
        code: "unknown_config_type",
        path: ["inner", "__type__"],
        input: "Other",
      });
    }
  });

  it("the same config may be nested twice", () => {
    const Two = sp.config("Two", { a: Inner, b: Inner });
    expect(Two.parameterNames()).toEqual(["Two.a::Inner.value", "Two.b::Inner.value"]);
    const c = Two.random({ seed: 1 });
    expect(Object.keys(c)).toEqual(["a", "b"]);
  });
});

describe("config: choice among configs", () => {
  const Cosine = sp.config("Cosine", { warmup: sp.int({ ge: 0, le: 10 }) });
  const Step = sp.config("Step", { gamma: sp.float({ ge: 0.1, le: 0.9 }) });
  const T = sp.config("T", { scheduler: sp.categorical([Cosine, Step, null]) });

  it("samples every alternative, configs tagged with __type__", () => {
    const seen = new Set<string>();
    for (const seed of seeds(60)) {
      const s = T.random({ seed }).scheduler;
      if (s === null) {
        seen.add("null");
      } else if (s.__type__ === "Cosine") {
        seen.add("Cosine");
        expect(Object.keys(s)).toEqual(["warmup", "__type__"]);
      } else {
        seen.add("Step");
        expect(Object.keys(s)).toEqual(["gamma", "__type__"]);
      }
    }
    expect(seen).toEqual(new Set(["Cosine", "Step", "null"]));
  });

  it("parameter names: the choice, then each config's fields", () => {
    expect(T.parameterNames()).toEqual([
      "T.scheduler",
      "T.scheduler::Cosine.warmup",
      "T.scheduler::Step.gamma",
    ]);
  });

  it("validates by __type__ and by shape, and returns __type__", () => {
    expect(T.parse({ scheduler: { warmup: 3, __type__: "Cosine" } }).scheduler).toEqual({
      warmup: 3,
      __type__: "Cosine",
    });
    expect(T.parse({ scheduler: { gamma: 0.5 } }).scheduler).toEqual({
      gamma: 0.5,
      __type__: "Step",
    });
    expect(T.parse({ scheduler: null }).scheduler).toBe(null);
  });
});

describe("config: conditional branches of every kind", () => {
  const Adam = sp.config("Adam", { beta: sp.float({ ge: 0.8, le: 0.99 }) });
  const C = sp.config("C", {
    on: sp.boolean(),
    space: sp.conditional(sp.field("on").eq(true), { true: sp.int({ ge: 1, le: 3 }), false: 0 }),
    cfg: sp.conditional(sp.field("on").eq(true), { true: Adam, false: null }),
    fixed: sp.conditional(sp.field("on").eq(true), { true: "big", false: [1, 2] }),
    nested: sp.conditional(sp.field("on").eq(true), {
      true: sp.conditional(sp.field("space").ge(2), {
        true: sp.float({ ge: 0, le: 1 }),
        false: -1,
      }),
      false: "off",
    }),
    cat: sp.conditional(sp.field("on").eq(false), {
      true: sp.categorical(["x", "y"]),
      false: "z",
    }),
  });

  it("each branch produces the right kind of value", () => {
    let sawOn = false;
    let sawOff = false;
    for (const seed of seeds(40)) {
      const c = C.random({ seed });
      if (c.on) {
        sawOn = true;
        expect([1, 2, 3]).toContain(c.space);
        expect(c.cfg).toEqual({ beta: expect.any(Number), __type__: "Adam" });
        expect(c.fixed).toBe("big");
        if ((c.space as number) >= 2) {
          expect(c.nested).toBeGreaterThanOrEqual(0);
          expect(c.nested).toBeLessThanOrEqual(1);
        } else {
          expect(c.nested).toBe(-1);
        }
        expect(c.cat).toBe("z");
      } else {
        sawOff = true;
        expect(c).toEqual({
          on: false,
          space: 0,
          cfg: null,
          fixed: [1, 2],
          nested: "off",
          cat: c.cat,
        });
        expect(["x", "y"]).toContain(c.cat);
      }
    }
    expect(sawOn && sawOff).toBe(true);
  });

  it("parameter names of branches", () => {
    // Exact order follows SpaX's field order: cat, cfg, fixed depend on `on`; `on` comes first.
    expect(names(C)).toEqual(["on", "cat", "cfg", "fixed", "space", "nested"]);
    expect(C.parameterNames()).toEqual([
      "C.on",
      "C.cat::true_branch",
      "C.cfg::true_branch::Adam.beta",
      "C.space::true_branch",
      "C.nested::true_branch::true_branch",
    ]);
  });

  it("a config branch validates with or without __type__ and returns it", () => {
    const c = C.parse({ on: true, space: 1, cfg: { beta: 0.9 }, nested: -1, cat: "z" });
    expect(c.cfg).toEqual({ beta: 0.9, __type__: "Adam" });
  });
});

describe("config: field order (SpaX)", () => {
  it("declaration order without conditionals", () => {
    const C = sp.config("C", { zeta: sp.int({ ge: 1, le: 5 }), beta: sp.boolean(), gamma: "g" });
    expect(names(C)).toEqual(["zeta", "beta", "gamma"]);
    expect(C.parameterNames()).toEqual(["C.zeta", "C.beta"]);
  });

  it("with a conditional: lexicographically smallest ready field first (vector G)", () => {
    const Ord = sp.config("Ord", {
      zeta: sp.int({ ge: 1, le: 5 }),
      beta: sp.boolean(),
      alpha: sp.conditional(sp.field("zeta").gt(2), {
        true: sp.float({ ge: 0, le: 1 }),
        false: 0.5,
      }),
      gamma: "fixed",
    });
    expect(names(Ord)).toEqual(["beta", "gamma", "zeta", "alpha"]);
  });

  it("sampled and parsed configs keep declaration order of keys", () => {
    const Ord = sp.config("Ord", {
      zeta: sp.int({ ge: 1, le: 5 }),
      beta: sp.boolean(),
      alpha: sp.conditional(sp.field("zeta").gt(2), {
        true: sp.float({ ge: 0, le: 1 }),
        false: 0.5,
      }),
      gamma: "fixed",
    });
    expect(Object.keys(Ord.random({ seed: 7 }))).toEqual(["zeta", "beta", "alpha", "gamma"]);
    expect(Object.keys(Ord.parse({ gamma: "fixed", beta: true, zeta: 1 }))).toEqual([
      "zeta",
      "beta",
      "alpha",
      "gamma",
    ]);
  });

  it("uppercase sorts before lowercase (code point order, as Python)", () => {
    const C = sp.config("C", {
      b: sp.boolean(),
      a: sp.conditional(sp.field("b").eq(true), { true: 1, false: 2 }),
      Z: sp.int({ ge: 0, le: 1 }),
    });
    expect(names(C)).toEqual(["Z", "b", "a"]);
  });

  it("conditionals nested in branches are ordered after the fields they read (SpaX defect 1)", () => {
    // b's own condition reads a; the conditional inside b's true branch reads c, declared later
    // and sorting after b. SpaX ordered [a, b, c] and crashed reading c.
    const C = sp.config("C", {
      b: sp.conditional(sp.field("a").gt(1), {
        true: sp.conditional(sp.field("c").eq(true), {
          true: sp.float({ ge: 0, le: 1 }),
          false: 0,
        }),
        false: -1,
      }),
      a: sp.int({ ge: 0, le: 3 }),
      c: sp.boolean(),
    });
    expect(names(C)).toEqual(["a", "c", "b"]);
    for (const seed of seeds(40)) {
      const v = C.random({ seed });
      if (v.a <= 1) expect(v.b).toBe(-1);
      else if (!v.c) expect(v.b).toBe(0);
      else expect(v.b).toBeGreaterThanOrEqual(0);
    }
    expect(C.parse({ a: 2, c: false })).toEqual({ b: 0, a: 2, c: false });
    expect(C.safeParse({ a: 2, c: false, b: 0.5 }).success).toBe(false);
  });
});

describe("config: parameterNames (SpaX §4)", () => {
  it("nested config: P::Name.field", () => {
    const Inner = sp.config("Inner", { value: sp.int({ ge: 0, le: 10 }) });
    const Outer = sp.config("Outer", { x: sp.int({ ge: 0, le: 100 }), inner: Inner });
    expect(Outer.parameterNames()).toEqual(["Outer.x", "Outer.inner::Inner.value"]);
  });

  it("choices among configs: P, then P::Choice.field", () => {
    const A = sp.config("A", { a: sp.int({ ge: 0, le: 10 }) });
    const B = sp.config("B", { b: sp.float({ ge: 0, le: 1 }) });
    const Main = sp.config("Main", { choice: sp.categorical([A, B]) });
    expect(Main.parameterNames()).toEqual(["Main.choice", "Main.choice::A.a", "Main.choice::B.b"]);
  });

  it("branches: P::true_branch then P::false_branch; fixed values add nothing", () => {
    const C = sp.config("C", {
      n: sp.int({ ge: 1, le: 32 }),
      head: sp.conditional(sp.field("n").gt(16), {
        true: sp.int({ ge: 1, le: 3 }),
        false: sp.int({ ge: 2, le: 8 }),
      }),
      fixed: sp.conditional(sp.field("n").gt(8), { true: true, false: false }),
      name: "x",
    });
    expect(C.parameterNames()).toEqual(["C.n", "C.head::true_branch", "C.head::false_branch"]);
  });

  it("with an override, names follow the narrowed space", () => {
    const C = sp.config("C", { a: sp.int({ ge: 0, le: 5 }), b: sp.categorical(["x", "y"]) });
    expect(C.parameterNames({ override: { a: 3 } })).toEqual(["C.b"]);
    expect(C.parameterNames({ override: { b: ["x"] } })).toEqual(["C.a"]);
  });

  it("two different distributions never share a name", () => {
    const A = sp.config("A", { v: sp.int({ ge: 0, le: 3 }) });
    const B = sp.config("B", { v: sp.float({ ge: 0, le: 1 }) });
    const C = sp.config("C", {
      pick: sp.categorical([A, B]),
      w: sp.int({ ge: 0, le: 1 }),
      v: sp.conditional(sp.field("w").eq(1), {
        true: sp.int({ ge: 0, le: 3 }),
        false: sp.float({ ge: 0, le: 1 }),
      }),
    });
    const list = C.parameterNames();
    expect(new Set(list).size).toBe(list.length);
  });
});

describe("config: refine constraints", () => {
  const R = sp
    .config("R", { x: sp.int({ ge: 0, le: 10 }), y: sp.int({ ge: 0, le: 10 }) })
    .refine((c) => c.x + c.y <= 5, "x + y must be <= 5");

  it("sampling rejects and redraws: every sample satisfies the constraint", () => {
    for (const seed of seeds(100)) {
      const c = R.random({ seed });
      expect(c.x + c.y).toBeLessThanOrEqual(5);
    }
  });

  it("the constraint is seeded too: the same seed gives the same config", () => {
    expect(R.random({ seed: 9 })).toEqual(R.random({ seed: 9 }));
  });

  it("validation reports the message as a constraint_failed issue", () => {
    const r = R.safeParse({ x: 5, y: 5 });
    expect(r.success).toBe(false);
    if (!r.success) {
      expect(r.issues).toEqual([
        expect.objectContaining({
          code: "constraint_failed",
          path: [],
          input: { x: 5, y: 5 },
        }),
      ]);
      expect(r.issues[0]!.message).toContain("x + y must be <= 5");
    }
    expect(() => R.parse({ x: 5, y: 5 })).toThrow(sp.SpaxValidationError);
    expect(R.parse({ x: 2, y: 3 })).toEqual({ x: 2, y: 3 });
  });

  it("several refines all apply", () => {
    const R2 = R.refine((c) => c.x !== c.y, "x and y differ");
    for (const seed of seeds(50)) {
      const c = R2.random({ seed });
      expect(c.x).not.toBe(c.y);
      expect(c.x + c.y).toBeLessThanOrEqual(5);
    }
    const r = R2.safeParse({ x: 3, y: 3 });
    expect(r.success).toBe(false);
    if (!r.success)
      expect(r.issues.map((i) => i.code)).toEqual(["constraint_failed", "constraint_failed"]);
  });

  it("refine returns a new space; the original is unconstrained", () => {
    const Base = sp.config("B", { x: sp.int({ ge: 0, le: 10 }) });
    const Refined = Base.refine((c) => c.x === 0, "x is 0");
    expect(Base.safeParse({ x: 5 }).success).toBe(true);
    expect(Refined.safeParse({ x: 5 }).success).toBe(false);
  });

  it("a refine on a nested config applies inside it", () => {
    const Inner = sp
      .config("Inner", { a: sp.int({ ge: 0, le: 9 }) })
      .refine((c) => c.a % 2 === 0, "a is even");
    const Outer = sp.config("Outer", { inner: Inner });
    for (const seed of seeds(30)) expect(Outer.random({ seed }).inner.a % 2).toBe(0);
    const r = Outer.safeParse({ inner: { a: 3 } });
    expect(r.success).toBe(false);
    if (!r.success)
      expect(r.issues[0]).toMatchObject({ code: "constraint_failed", path: ["inner"] });
  });

  it("an unsatisfiable refine throws SpaxSamplingError quickly, naming the message", () => {
    const U = sp.config("U", { x: sp.int({ ge: 0, le: 10 }) }).refine(() => false, "never holds");
    const start = performance.now();
    const e = expectError(
      () => U.random({ seed: 1 }),
      sp.SpaxSamplingError,
      "constraint_unsatisfiable",
      "never holds",
    );
    expect(performance.now() - start).toBeLessThan(2000);
    expect(e.path).toBe("U");
    expectError(
      () => U.random({ seed: 1, maxTries: 5 }),
      sp.SpaxSamplingError,
      "constraint_unsatisfiable",
      "5",
    );
  });

  it("an unsatisfiable refine through a sampler stops after a bounded number of draws", () => {
    const U = sp.config("U", { x: sp.int({ ge: 0, le: 10 }) }).refine(() => false, "never holds");
    let n = 0;
    const varying: sp.SpaceSampler = {
      suggestFloat: () => 0,
      suggestInt: (_name, low, high) => low + (n++ % (high - low + 1)),
      suggestCategorical: (_name, choices) => choices[0],
    };
    expectError(
      () => U.sample(varying, { maxTries: 50 }),
      sp.SpaxSamplingError,
      "constraint_unsatisfiable",
    );
    expect(n).toBe(50);
  });

  it("a sampler that repeats itself (a study trial) is told at once to prune, not after maxTries", () => {
    // Optuna-style trials answer a repeated name with the same value: redrawing cannot help.
    const U = sp
      .config("U", { x: sp.int({ ge: 0, le: 10 }) })
      .refine((c) => c.x !== 0, "x is not 0");
    const s = new RecordingSampler(undefined, 20_000);
    const e = expectError(
      () => U.sample(s, { maxTries: 1000 }),
      sp.SpaxSamplingError,
      "constraint_violated",
    );
    expect(e.message).toContain("TrialPruned");
    expect(s.calls.length).toBeLessThan(50);
  });

  it("an invalid maxTries is an error, not a hang or a silent default", () => {
    // With NaN the loop condition `attempt >= maxTries` is never true: an endless loop.
    const U = sp.config("U", { x: sp.int({ ge: 0, le: 10 }) }).refine(() => false, "never");
    for (const maxTries of [Number.NaN, 0, -3, 2.5, "3"]) {
      const s = new RecordingSampler(undefined, 10_000);
      const e = thrown(() => U.sample(s, { maxTries: maxTries as never }));
      expect(e, `maxTries ${String(maxTries)}`).toBeInstanceOf(sp.SpaxError);
      expect(e.message).toContain("maxTries");
      // Not "no config met the constraint in 0 draws": the option itself is wrong.
      expect(e.code, `maxTries ${String(maxTries)}`).not.toBe("constraint_unsatisfiable");
    }
  });

  it("refine definition errors", () => {
    const C = sp.config("C", { x: 1 });
    expectError(() => C.refine(5 as never, "m"), sp.SpaxDefinitionError, "invalid_constraint");
    expectError(() => C.refine(() => true, ""), sp.SpaxDefinitionError, "invalid_constraint");
  });

  it("a refine predicate returning a non-boolean or throwing is a SpaxError", () => {
    const C = sp.config("C", { x: sp.int({ ge: 0, le: 3 }) });
    expectError(
      () => C.refine((() => 1) as never, "m").random({ seed: 1 }),
      sp.SpaxError,
      "constraint_not_boolean",
    );
    expectError(
      () =>
        C.refine(() => {
          throw new Error("boom");
        }, "m").parse({ x: 1 }),
      sp.SpaxError,
      "constraint_threw",
      "boom",
    );
  });
});

describe("config: sample(sampler) / fromTrial", () => {
  const A = sp.config("A", { a: sp.int({ ge: 0, le: 10 }) });
  const B = sp.config("B", { b: sp.float({ gt: 0, lt: 1 }) });
  const Main = sp.config("Main", {
    choice: sp.categorical([A, B, null]),
    w: sp.categorical([sp.choice("x", { weight: 3 }), "y"]),
    lr: sp.float({ ge: 1e-5, le: 0.1, log: true }),
    units: sp.int({ ge: 16, le: 512, log: true }),
    st: sp.float({ ge: 0, le: 1, step: 0.25 }),
    n: sp.int({ ge: 1, le: 10, step: 3 }),
    flag: sp.boolean(),
    fixed: "const",
  });

  it("asks for every active parameter with its name, bounds and options", () => {
    const s = new RecordingSampler();
    const c = Main.sample(s);
    const expected: Call[] = [
      ["categorical", "Main.choice", ["A", "B", null], {}],
      ["int", "Main.choice::A.a", 0, 10, {}],
      ["categorical", "Main.w", ["x", "y"], { weights: [3, 1] }],
      ["float", "Main.lr", 1e-5, 0.1, { log: true }],
      ["int", "Main.units", 16, 512, { log: true }],
      ["float", "Main.st", 0, 1, { step: 0.25 }],
      ["int", "Main.n", 1, 10, { step: 3 }],
      ["categorical", "Main.flag", [true, false], {}],
    ];
    expect(s.calls).toEqual(expected);
    expect(c).toEqual({
      choice: { a: 0, __type__: "A" },
      w: "x",
      lr: 1e-5,
      units: 16,
      st: 0,
      n: 1,
      flag: true,
      fixed: "const",
    });
  });

  it("exclusive float bounds are passed as the next representable float inside", () => {
    const s = new RecordingSampler((call) =>
      call[0] === "categorical" ? (call[1] === "Main.choice" ? "B" : call[2][1]) : call[3],
    );
    const c = Main.sample(s);
    expect(s.calls[1]).toEqual(["float", "Main.choice::B.b", Number.MIN_VALUE, 1 - 2 ** -53, {}]);
    expect(c.choice).toEqual({ b: 1 - 2 ** -53, __type__: "B" });
    const E = sp.config("E", { v: sp.float({ gt: 1, lt: 2 }) });
    const t = new RecordingSampler();
    E.sample(t);
    expect(t.calls[0]).toEqual(["float", "E.v", 1 + Number.EPSILON, 2 - Number.EPSILON, {}]);
  });

  it("exclusive int bounds are passed as inclusive ones", () => {
    const E = sp.config("E", { v: sp.int({ gt: 0, lt: 10 }) });
    const t = new RecordingSampler();
    E.sample(t);
    expect(t.calls[0]).toEqual(["int", "E.v", 1, 9, {}]);
  });

  it("only the active branch is asked for, under its branch name", () => {
    const C = sp.config("C", {
      useDropout: sp.boolean(),
      rate: sp.conditional(sp.field("useDropout").eq(true), {
        true: sp.float({ ge: 0.1, le: 0.5 }),
        false: 0,
      }),
    });
    const on = new RecordingSampler();
    expect(C.sample(on)).toEqual({ useDropout: true, rate: 0.1 });
    expect(on.calls.map((c) => c[1])).toEqual(["C.useDropout", "C.rate::true_branch"]);
    const off = new RecordingSampler((call) => (call[0] === "categorical" ? false : call[2]));
    expect(C.sample(off)).toEqual({ useDropout: false, rate: 0 });
    expect(off.calls.map((c) => c[1])).toEqual(["C.useDropout"]);
  });

  it("a config in a branch is asked for under P::true_branch::Name.field", () => {
    const Adam = sp.config("Adam", { beta: sp.float({ ge: 0.8, le: 0.99 }) });
    const C = sp.config("C", {
      on: sp.boolean(),
      opt: sp.conditional(sp.field("on").eq(true), { true: Adam, false: null }),
    });
    const s = new RecordingSampler();
    expect(C.sample(s)).toEqual({ on: true, opt: { beta: 0.8, __type__: "Adam" } });
    expect(s.calls.map((c) => c[1])).toEqual(["C.on", "C.opt::true_branch::Adam.beta"]);
  });

  it("fromTrial is sample with a trial", () => {
    const s1 = new RecordingSampler();
    const s2 = new RecordingSampler();
    expect(Main.fromTrial(s1)).toEqual(Main.sample(s2));
    expect(s1.calls).toEqual(s2.calls);
  });

  it("an override narrows what the sampler is asked", () => {
    const s = new RecordingSampler();
    Main.sample(s, { override: { choice: ["A"], lr: { ge: 1e-3 }, w: ["y"], n: [4, 7] } });
    expect(s.calls).toEqual([
      ["int", "Main.choice::A.a", 0, 10, {}],
      ["float", "Main.lr", 1e-3, 0.1, { log: true }],
      ["int", "Main.units", 16, 512, { log: true }],
      ["float", "Main.st", 0, 1, { step: 0.25 }],
      ["categorical", "Main.n", [4, 7], {}],
      ["categorical", "Main.flag", [true, false], {}],
    ]);
  });

  it("a sampler returning an out-of-space value is a SpaxSamplingError", () => {
    const answers: [string, (call: Call) => unknown][] = [
      ["int too big", (c) => (c[0] === "categorical" ? c[2][0] : 99)],
      ["int not integer", (c) => (c[0] === "categorical" ? c[2][0] : 2.5)],
      ["unknown choice", (c) => (c[0] === "categorical" ? "zz" : c[2])],
      ["NaN", (c) => (c[0] === "categorical" ? c[2][0] : Number.NaN)],
      ["string for int", (c) => (c[0] === "categorical" ? c[2][0] : "3")],
      [
        "off the step grid",
        (c) => (c[0] === "categorical" ? c[2][0] : c[1] === "Main.n" ? 2 : c[2]),
      ],
      ["undefined", (c) => (c[0] === "categorical" ? c[2][0] : undefined)],
    ];
    for (const [label, answer] of answers) {
      const e = thrown(() => Main.sample(new RecordingSampler(answer)));
      expect(e, label).toBeInstanceOf(sp.SpaxSamplingError);
      expect(e.code, label).toBe("sampler_out_of_space");
    }
  });

  it("the out-of-space message names the parameter and the value", () => {
    expectError(
      () => Main.sample(new RecordingSampler((c) => (c[0] === "categorical" ? c[2][0] : 99))),
      sp.SpaxSamplingError,
      "sampler_out_of_space",
      "Main.choice::A.a",
      "99",
    );
  });

  it("a sampler returning the exclusive bound itself is rejected", () => {
    const E = sp.config("E", { v: sp.float({ gt: 0, lt: 1 }) });
    expect(() => E.sample(new RecordingSampler(() => 0))).toThrow(sp.SpaxSamplingError);
    expect(() => E.sample(new RecordingSampler(() => 1))).toThrow(sp.SpaxSamplingError);
  });

  it("an object that is not a sampler is a SpaxSamplingError", () => {
    for (const [label, junk] of JUNK) {
      const e = thrown(() => Main.sample(junk as never));
      expect(e, label).toBeInstanceOf(sp.SpaxSamplingError);
      expect(e.code).toBe("invalid_sampler");
    }
    expect(() => Main.fromTrial({ suggestFloat() {} } as never)).toThrow(sp.SpaxSamplingError);
  });

  it("a sampler with 3-argument methods works (SpaX defect 11)", () => {
    const C = sp.config("C", {
      a: sp.int({ ge: 1, le: 5 }),
      b: sp.float({ ge: 0, le: 1, log: false }),
    });
    const trial = {
      suggestInt: (_name: string, low: number, _high: number) => low,
      suggestFloat: (_name: string, _low: number, high: number) => high,
      suggestCategorical: (_name: string, choices: readonly unknown[]) => choices[0],
    };
    expect(C.fromTrial(trial)).toEqual({ a: 1, b: 1 });
  });
});

describe("config: definition errors", () => {
  const def = sp.SpaxDefinitionError;

  it("bad config names", () => {
    for (const name of ["", "a.b", "a:b", 5, null]) {
      expectError(() => sp.config(name as never, {}), def, "invalid_config_name");
    }
  });

  it("reserved and malformed field names", () => {
    expectError(() => sp.config("C", { __type__: 1 } as never), def, "reserved_field_name");
    expectError(() => sp.config("C", { "a.b": 1 }), def, "invalid_field_name");
  });

  it("an undefined field value", () => {
    const e = expectError(() => sp.config("C", { a: undefined as never }), def, "undefined_field");
    expect(e.path).toBe("C.a");
  });

  it("a non-JSON fixed value names its path", () => {
    const e = thrown(() => sp.config("C", { when: new Date(0) as never }));
    expect(e).toBeInstanceOf(def);
    expect(e.path).toBe("C.when");
  });

  it("junk in place of the fields or options is a SpaxDefinitionError", () => {
    for (const [label, junk] of JUNK) {
      if (label === "empty object" || label === "null-prototype object") continue;
      const e = thrown(() => sp.config("C", junk as never));
      expect(e, `fields = ${label}`).toBeInstanceOf(def);
    }
    for (const [label, junk] of JUNK) {
      if (label === "undefined" || label === "empty object" || label === "null-prototype object")
        continue;
      let error: unknown;
      try {
        sp.config("C", { a: 1 }, junk as never);
      } catch (e) {
        error = e;
      }
      if (error !== undefined) expect(error, `options = ${label}`).toBeInstanceOf(sp.SpaxError);
    }
  });

  it("junk options to the config methods are SpaxErrors, never TypeErrors", () => {
    const C = sp.config("C", { a: sp.int({ ge: 0, le: 3 }), b: sp.categorical(["x", "y"]) });
    const methods: [string, (j: unknown) => unknown][] = [
      ["random", (j) => C.random(j as never)],
      ["random seed", (j) => C.random({ seed: j as never })],
      ["random override", (j) => C.random({ override: j as never })],
      ["tree", (j) => C.tree(j as never)],
      ["parameterNames", (j) => C.parameterNames(j as never)],
      ["grid", (j) => [...C.grid(j as never)]],
      ["narrow", (j) => C.narrow(j as never)],
      ["sample options", (j) => C.sample(new RecordingSampler(), j as never)],
    ];
    const ok: Record<string, string[]> = {
      // A number seed, bigint seed, and "no options" are valid.
      "random seed": ["number", "bigint", "undefined"],
      random: ["undefined", "empty object", "null-prototype object"],
      "random override": ["undefined", "empty object", "null-prototype object"],
      tree: ["undefined", "empty object", "null-prototype object"],
      parameterNames: ["undefined", "empty object", "null-prototype object"],
      grid: ["undefined", "empty object", "null-prototype object"],
      narrow: ["empty object", "null-prototype object"],
      "sample options": ["undefined", "empty object", "null-prototype object"],
    };
    for (const [name, call] of methods) {
      for (const [label, junk] of JUNK) {
        if (ok[name]?.includes(label)) continue;
        let error: unknown;
        try {
          call(junk);
        } catch (e) {
          error = e;
        }
        // Some junk option bags are harmlessly ignored; but anything thrown must be a SpaxError.
        if (error !== undefined) expect(error, `${name}(${label})`).toBeInstanceOf(sp.SpaxError);
      }
    }
  });

  it("a junk seed is rejected with a SpaxError naming the seed", () => {
    const C = sp.config("C", { a: sp.int({ ge: 0, le: 3 }) });
    for (const seed of ["x", 1.5, Number.NaN, true, {}, [1]]) {
      const e = thrown(() => C.random({ seed: seed as never }));
      expect(e, String(seed)).toBeInstanceOf(sp.SpaxError);
      expect(e.message).toContain("seed");
    }
  });
});

describe("config: grid()", () => {
  const A = sp.config("A", { a: sp.int({ ge: 0, le: 1 }) });
  const C = sp
    .config("C", {
      on: sp.boolean(),
      n: sp.conditional(sp.field("on").eq(true), { true: sp.int({ ge: 1, le: 3 }), false: 0 }),
      pick: sp.categorical([A, null]),
      name: "x",
    })
    .refine((c) => !(c.n === 3 && c.pick === null), "no 3 with null");

  it("lists every config once, only active branches, constraints respected", () => {
    const all = [...C.grid()];
    // on=true: 3 values of n × 3 picks, minus (3, null); on=false: 3 picks.
    expect(all).toHaveLength(11);
    expect(new Set(all.map((c) => JSON.stringify(c))).size).toBe(11);
    for (const c of all) expect(C.parse(c)).toEqual(c);
    expect(all).not.toContainEqual({ on: true, n: 3, pick: null, name: "x" });
    expect(all).toContainEqual({ on: false, n: 0, pick: { a: 1, __type__: "A" }, name: "x" });
  });

  it("follows an override", () => {
    expect([...C.grid({ override: { on: false, pick: [null] } })]).toEqual([
      { on: false, n: 0, pick: null, name: "x" },
    ]);
  });

  it("is lazy: the first config comes without enumerating the rest", () => {
    const Big = sp.config("Big", {
      a: sp.int({ ge: 0, le: 999 }),
      b: sp.int({ ge: 0, le: 999 }),
      c: sp.int({ ge: 0, le: 999 }),
    });
    const first = Big.grid().next();
    expect(first.value).toEqual({ a: 0, b: 0, c: 0 });
  });

  it("a continuous float anywhere (even in a branch or choice) is a definition error", () => {
    const D = sp.config("D", {
      on: sp.boolean(),
      x: sp.conditional(sp.field("on").eq(true), { true: sp.float({ ge: 0, le: 1 }), false: 0 }),
    });
    expect(() => [...D.grid()]).toThrow(sp.SpaxDefinitionError);
    expect([...D.grid({ override: { x: { true: [0.25, 0.5] } } })]).toHaveLength(3);
  });
});

describe("errors: one family", () => {
  it("every error class extends SpaxError and carries path and code", () => {
    const C = sp.config("C", { a: sp.int({ ge: 0, le: 3 }) });
    const errors = [
      thrown(() => sp.int({ ge: 3, le: 1 })),
      thrown(() => C.narrow({ a: 9 })),
      thrown(() => C.parse({ a: 9 })),
      thrown(() => C.load("{", "json")),
      thrown(() => C.sample(new RecordingSampler(() => 9))),
    ];
    const classes = [
      sp.SpaxDefinitionError,
      sp.SpaxOverrideError,
      sp.SpaxValidationError,
      sp.SpaxSyntaxError,
      sp.SpaxSamplingError,
    ];
    errors.forEach((e, i) => {
      expect(e).toBeInstanceOf(classes[i]!);
      expect(e).toBeInstanceOf(sp.SpaxError);
      expect(e).toBeInstanceOf(Error);
      expect(typeof e.path).toBe("string");
      expect(typeof e.code).toBe("string");
      expect(e.name).toBe(classes[i]!.name);
    });
    expect(errors.map((e) => e.path)).toEqual(["", "override.a", "a", "", "a"]);
  });
});
