// Type-level tests: `sp.Infer` gives the exact config type. Checked by `tsc` through vitest's
// typecheck mode; a failing expectation is a compile error.
import { describe, expectTypeOf, it } from "vitest";
import * as sp from "../../src/index.js";

describe("sp.Infer", () => {
  it("numbers, booleans and categoricals", () => {
    expectTypeOf<sp.Infer<ReturnType<typeof sp.float>>>().toEqualTypeOf<number>();
    expectTypeOf<sp.Infer<ReturnType<typeof sp.int>>>().toEqualTypeOf<number>();
    const flag = sp.boolean();
    expectTypeOf<sp.Infer<typeof flag>>().toEqualTypeOf<boolean>();
    const optimizer = sp.categorical([sp.choice("adam", { weight: 3 }), "sgd", "rmsprop"]);
    expectTypeOf<sp.Infer<typeof optimizer>>().toEqualTypeOf<"adam" | "sgd" | "rmsprop">();
    // Six distinct choices keep six distinct literal types.
    const tricky = sp.categorical([1, "1", true, null, 0, ""]);
    expectTypeOf<sp.Infer<typeof tricky>>().toEqualTypeOf<1 | "1" | true | null | 0 | "">();
  });

  it("a conditional float | 0 is number", () => {
    const rate = sp.conditional(sp.field("useDropout").eq(true), {
      true: sp.float({ ge: 0.1, le: 0.5 }),
      false: 0,
    });
    expectTypeOf<sp.Infer<typeof rate>>().toEqualTypeOf<number>();
    const mode = sp.conditional(sp.field("x").gt(1), {
      true: sp.categorical(["a", "b"]),
      false: null,
    });
    expectTypeOf<sp.Infer<typeof mode>>().toEqualTypeOf<"a" | "b" | null>();
  });

  it("nested configs nest; fixed values keep their literal type", () => {
    const Inner = sp.config("Inner", {
      units: sp.int({ ge: 16, le: 512, log: true }),
      act: sp.categorical(["relu", "gelu"]),
    });
    const Outer = sp.config("Outer", {
      encoder: Inner,
      name: "baseline",
      betas: [0.9, 0.999],
      depth: sp.int({ ge: 1, le: 8 }),
    });
    expectTypeOf<sp.Infer<typeof Outer>>().toEqualTypeOf<{
      encoder: { units: number; act: "relu" | "gelu" };
      name: "baseline";
      betas: readonly [0.9, 0.999];
      depth: number;
    }>();
    expectTypeOf(Outer.random()).toEqualTypeOf<sp.Infer<typeof Outer>>();
    expectTypeOf(Outer.parse({})).toEqualTypeOf<sp.Infer<typeof Outer>>();
  });

  it("a choice among configs is their discriminated union", () => {
    const Adam = sp.config("Adam", {
      lr: sp.float({ ge: 1e-5, le: 1e-1, log: true }),
      beta1: sp.float({ ge: 0.8, le: 0.999 }),
    });
    const Sgd = sp.config("Sgd", {
      lr: sp.float({ ge: 1e-4, le: 1, log: true }),
      momentum: sp.float({ ge: 0, le: 0.99 }),
    });
    const Training = sp.config("Training", { optimizer: sp.categorical([Adam, Sgd, null]) });
    type T = sp.Infer<typeof Training>;
    expectTypeOf<T["optimizer"]>().toEqualTypeOf<
      | { lr: number; beta1: number; __type__: "Adam" }
      | { lr: number; momentum: number; __type__: "Sgd" }
      | null
    >();
    const cfg = Training.random({ seed: 1 });
    if (cfg.optimizer?.__type__ === "Sgd")
      expectTypeOf(cfg.optimizer.momentum).toEqualTypeOf<number>();
    // A config in a conditional branch is one of several alternatives too.
    const Maybe = sp.config("Maybe", {
      on: sp.boolean(),
      opt: sp.conditional(sp.field("on").eq(true), { true: Adam, false: null }),
    });
    expectTypeOf<sp.Infer<typeof Maybe>["opt"]>().toEqualTypeOf<{
      lr: number;
      beta1: number;
      __type__: "Adam";
    } | null>();
  });

  it("refine and narrow keep the type", () => {
    const S = sp
      .config("S", { a: sp.int({ ge: 1, le: 8 }), b: sp.boolean() })
      .refine((c) => c.a > 1 || c.b, "a or b");
    expectTypeOf(S.narrow({ a: { ge: 2 } }).random()).toEqualTypeOf<{ a: number; b: boolean }>();
  });

  it("SpaX-style aliases infer the same types", () => {
    const Ord = sp.config("Ord", {
      zeta: sp.Int({ ge: 1, le: 5 }),
      beta: sp.Categorical([true, false]),
      alpha: sp.Conditional(sp.FieldCondition("zeta", sp.LargerThan(2)), {
        true: sp.Float({ ge: 0, le: 1 }),
        false: 0.5,
      }),
      gamma: "fixed",
    });
    expectTypeOf<sp.Infer<typeof Ord>>().toEqualTypeOf<{
      zeta: number;
      beta: boolean;
      alpha: number;
      gamma: "fixed";
    }>();
  });
});

describe("wrong names are compile errors", () => {
  it("a condition on an unknown field", () => {
    sp.config("Bad", {
      useDropout: sp.boolean(),
      // @ts-expect-error "useDropot" is not a field of this config
      rate: sp.conditional(sp.field("useDropot").eq(true), {
        true: sp.float({ ge: 0, le: 1 }),
        false: 0,
      }),
    });
    const Model = sp.config("Model", { depth: sp.int({ ge: 1, le: 32 }) });
    sp.config("Good", {
      model: Model,
      ckpt: sp.conditional(sp.field("model.depth").gt(8), { true: true, false: false }),
    });
    sp.config("BadDotted", {
      model: Model,
      // @ts-expect-error Model has no field "width"
      ckpt: sp.conditional(sp.field("model.width").gt(8), { true: true, false: false }),
    });
  });

  it("an override naming an unknown field or the wrong kind of value", () => {
    const S = sp.config("S", {
      lr: sp.float({ ge: 1e-5, le: 1e-1, log: true }),
      opt: sp.categorical(["adam", "sgd"]),
    });
    S.narrow({ lr: { ge: 1e-4 }, opt: ["adam"] });
    // @ts-expect-error "learningRate" is not a field
    S.narrow({ learningRate: 0.01 });
    // @ts-expect-error a number field takes numbers, lists of numbers or ranges
    S.narrow({ lr: "0.01" });
  });

  it("bounds: exactly one lower and one upper", () => {
    // @ts-expect-error two lower bounds
    sp.float({ gt: 0, ge: 0, le: 1 });
    // @ts-expect-error no upper bound
    sp.int({ ge: 0 });
  });
});
