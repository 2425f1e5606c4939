/**
 * SpaX-style aliases build the same spaces as the idiomatic API: same toJSON, same seeded
 * samples, same parameter names.
 */
import { describe, expect, it } from "vitest";
import * as sp from "../../src/index.js";
import { expectError, JUNK, seeds, thrown } from "./helpers.js";

function expectSame(a: sp.ConfigSpace, b: sp.ConfigSpace) {
  expect(a.toJSON()).toEqual(b.toJSON());
  expect(a.parameterNames()).toEqual(b.parameterNames());
  for (const seed of seeds(20)) expect(a.random({ seed })).toEqual(b.random({ seed }));
}

describe("SpaX aliases: spaces", () => {
  it("Float/Int with distribution", () => {
    expectSame(
      sp.config("C", {
        lr: sp.Float({ ge: 1e-5, le: 1e-1, distribution: "log" }),
        d: sp.Float({ gt: 0, lt: 1 }),
        u: sp.Float({ ge: 0, le: 1, distribution: "uniform" }),
        n: sp.Int({ ge: 16, le: 512, distribution: "log" }),
        m: sp.Int({ ge: 1, le: 8, default: 2 }),
      }),
      sp.config("C", {
        lr: sp.float({ ge: 1e-5, le: 1e-1, log: true }),
        d: sp.float({ gt: 0, lt: 1 }),
        u: sp.float({ ge: 0, le: 1 }),
        n: sp.int({ ge: 16, le: 512, log: true }),
        m: sp.int({ ge: 1, le: 8, default: 2 }),
      }),
    );
  });

  it("an unknown distribution is a definition error", () => {
    expectError(
      () => sp.Float({ ge: 0, le: 1, distribution: "normal" as never }),
      sp.SpaxDefinitionError,
      "invalid_option",
      '"normal"',
    );
  });

  it("Float log rules match float's (gt: 0 + log rejected)", () => {
    expect(() => sp.Float({ gt: 0, le: 1, distribution: "log" })).toThrow(sp.SpaxDefinitionError);
  });

  it("Categorical and Choice(value, weight)", () => {
    expectSame(
      sp.config("C", {
        o: sp.Categorical([sp.Choice("adam", 3), "sgd", sp.Choice("rms", { weight: 2 })]),
      }),
      sp.config("C", {
        o: sp.categorical([
          sp.choice("adam", { weight: 3 }),
          "sgd",
          sp.choice("rms", { weight: 2 }),
        ]),
      }),
    );
  });

  it("Choice weight rules match choice's", () => {
    expect(() => sp.Categorical([sp.Choice("a", 0), "b"])).toThrow(sp.SpaxDefinitionError);
    expect(() => sp.Categorical([sp.Choice("a", -2), "b"])).toThrow(sp.SpaxDefinitionError);
  });

  it("Conditional is conditional", () => {
    expectSame(
      sp.config("C", {
        n: sp.Int({ ge: 1, le: 32 }),
        ck: sp.Conditional(sp.FieldCondition("n", sp.LargerThan(8)), { true: true, false: false }),
      }),
      sp.config("C", {
        n: sp.int({ ge: 1, le: 32 }),
        ck: sp.conditional(sp.field("n").gt(8), { true: true, false: false }),
      }),
    );
  });
});

describe("SpaX aliases: conditions", () => {
  const Adam = sp.config("Adam", { beta: sp.float({ ge: 0.8, le: 0.99 }) });
  const Sgd = sp.config("Sgd", { name: sp.categorical(["sgd", "nesterov"]) });
  const base = {
    n: sp.int({ ge: 0, le: 40 }),
    o: sp.categorical(["adam", "sgd", "rms"]),
    opt: sp.categorical([Adam, Sgd]),
  };

  const pairs: [string, sp.Condition, sp.Condition][] = [
    ["EqualsTo", sp.FieldCondition("o", sp.EqualsTo("sgd")), sp.field("o").eq("sgd")],
    ["NotEqualsTo", sp.FieldCondition("o", sp.NotEqualsTo("sgd")), sp.field("o").ne("sgd")],
    ["LargerThan", sp.FieldCondition("n", sp.LargerThan(8)), sp.field("n").gt(8)],
    ["LargerThan or_equals", sp.FieldCondition("n", sp.LargerThan(8, true)), sp.field("n").ge(8)],
    ["SmallerThan", sp.FieldCondition("n", sp.SmallerThan(32)), sp.field("n").lt(32)],
    [
      "SmallerThan or_equals",
      sp.FieldCondition("n", sp.SmallerThan(32, true)),
      sp.field("n").le(32),
    ],
    ["In", sp.FieldCondition("o", sp.In(["adam", "sgd"])), sp.field("o").in(["adam", "sgd"])],
    ["NotIn", sp.FieldCondition("o", sp.NotIn(["rms"])), sp.field("o").notIn(["rms"])],
    ["IsInstance", sp.FieldCondition("opt", sp.IsInstance(Sgd)), sp.field("opt").isConfig(Sgd)],
    [
      "And",
      sp.And([
        sp.FieldCondition("n", sp.LargerThan(1)),
        sp.FieldCondition("o", sp.EqualsTo("adam")),
      ]),
      sp.and(sp.field("n").gt(1), sp.field("o").eq("adam")),
    ],
    [
      "Or",
      sp.Or([
        sp.FieldCondition("n", sp.LargerThan(30)),
        sp.FieldCondition("o", sp.EqualsTo("rms")),
      ]),
      sp.or(sp.field("n").gt(30), sp.field("o").eq("rms")),
    ],
    ["Not", sp.Not(sp.FieldCondition("n", sp.LargerThan(8))), sp.not(sp.field("n").gt(8))],
  ];

  for (const [label, alias, idiom] of pairs) {
    it(`${label} builds the same condition`, () => {
      expect(alias.render()).toBe(idiom.render());
      expect(alias.toJSON()).toEqual(idiom.toJSON());
      expectSame(
        sp.config("C", {
          ...base,
          x: sp.Conditional(alias as sp.Condition<"n">, {
            true: sp.Int({ ge: 0, le: 9 }),
            false: -1,
          }),
        }),
        sp.config("C", {
          ...base,
          x: sp.conditional(idiom as sp.Condition<"n">, {
            true: sp.int({ ge: 0, le: 9 }),
            false: -1,
          }),
        }),
      );
    });
  }

  it("Lambda is test with the same label", () => {
    const even = (v: number) => v % 2 === 0;
    const alias = sp.FieldCondition("n", sp.Lambda(even, "n is even"));
    const idiom = sp.field("n").test(even, "n is even");
    expect(alias.toJSON()).toEqual(idiom.toJSON());
    expectSame(
      sp.config("C", { ...base, x: sp.Conditional(alias, { true: 1, false: 0 }) }),
      sp.config("C", { ...base, x: sp.conditional(idiom, { true: 1, false: 0 }) }),
    );
  });

  it("MultiFieldLambdaCondition is fields", () => {
    const fn = (v: Record<"n" | "o", any>) => v.n > 10 && v.o === "adam";
    const alias = sp.MultiFieldLambdaCondition(["n", "o"], fn, "big adam");
    const idiom = sp.fields(["n", "o"], fn, "big adam");
    expect(alias.toJSON()).toEqual(idiom.toJSON());
    expectSame(
      sp.config("C", { ...base, x: sp.Conditional(alias, { true: 1, false: 0 }) }),
      sp.config("C", { ...base, x: sp.conditional(idiom, { true: 1, false: 0 }) }),
    );
  });

  it("nested FieldCondition('opt', FieldCondition('name', EqualsTo('sgd'))) reads opt.name", () => {
    const Opt = sp.config("Opt", {
      name: sp.categorical(["adam", "sgd"]),
      lr: sp.float({ ge: 0, le: 1 }),
    });
    const alias = sp.FieldCondition("opt", sp.FieldCondition("name", sp.EqualsTo("sgd")));
    expect(alias.render()).toBe("opt.name == 'sgd'");
    expect(alias.toJSON()).toEqual(sp.field("opt.name").eq("sgd").toJSON());
    const C = sp.config("C", {
      opt: Opt,
      momentum: sp.Conditional(alias, { true: sp.Float({ ge: 0, le: 0.99 }), false: 0 }),
    });
    expectSame(
      C,
      sp.config("C", {
        opt: Opt,
        momentum: sp.conditional(sp.field("opt.name").eq("sgd"), {
          true: sp.float({ ge: 0, le: 0.99 }),
          false: 0,
        }),
      }),
    );
    for (const seed of seeds(20)) {
      const c = C.random({ seed });
      if (c.opt.name === "adam") expect(c.momentum).toBe(0);
    }
  });

  it("And/Or need at least one condition", () => {
    expect(() => sp.And([])).toThrow(sp.SpaxDefinitionError);
    expect(() => sp.Or([])).toThrow(sp.SpaxDefinitionError);
  });

  it("MultiFieldLambdaCondition rejects a string of paths (SpaX: non-str iterable)", () => {
    // Spreading "ab" would silently read the fields "a" and "b".
    expect(thrown(() => sp.MultiFieldLambdaCondition("ab" as never, () => true))).toBeInstanceOf(
      sp.SpaxDefinitionError,
    );
  });

  const junkBuilders: [string, (j: unknown) => unknown, string[]][] = [
    ["And", (j) => sp.And(j as never), []],
    ["Or", (j) => sp.Or(j as never), []],
    ["Not", (j) => sp.Not(j as never), []],
    [
      "MultiFieldLambdaCondition",
      (j) => sp.MultiFieldLambdaCondition(j as never, () => true),
      ["string"],
    ],
    ["FieldCondition", (j) => sp.FieldCondition("a", j as never), []],
    ["IsInstance", (j) => sp.FieldCondition("a", sp.IsInstance(j as never)), []],
    ["Lambda", (j) => sp.FieldCondition("a", sp.Lambda(j as never)), ["function"]],
  ];
  for (const [name, build, skip] of junkBuilders) {
    it(`${name}: junk is a SpaxError, never a TypeError`, () => {
      for (const [label, junk] of JUNK) {
        if (label === "empty array" || skip.includes(label)) continue;
        expect(
          thrown(() => build(junk)),
          `${name}(${label})`,
        ).toBeInstanceOf(sp.SpaxError);
      }
    });
  }
});

describe("SpaX aliases: the blog's TrainingConfig", () => {
  const OptimizerConfig = sp.config("OptimizerConfig", {
    name: sp.Categorical(["adam", "sgd"]),
    learning_rate: sp.Float({ ge: 1e-5, le: 1e-2, distribution: "log" }),
    momentum: sp.Conditional(sp.FieldCondition("name", sp.EqualsTo("sgd")), {
      true: sp.Float({ ge: 0, le: 0.99 }),
      false: null,
    }),
    beta2: sp.Conditional(sp.FieldCondition("name", sp.EqualsTo("adam")), {
      true: sp.Float({ ge: 0.9, le: 0.999 }),
      false: null,
    }),
  });
  const blockFields = {
    num_layers: sp.Int({ ge: 2, le: 12 }),
    activation: sp.Categorical(["silu", "mish", "relu", "gelu"]),
  };
  const DenseConfig = sp.config("DenseConfig", {
    ...blockFields,
    norm_input: sp.Categorical([true, false]),
    use_dropout: sp.Categorical([true, false]),
    dropout_rate: sp.Conditional(sp.FieldCondition("use_dropout", sp.EqualsTo(true)), {
      true: sp.Float({ ge: 0.05, le: 0.5 }),
      false: null,
    }),
  });
  const ConvConfig = sp.config("ConvConfig", {
    ...blockFields,
    kernel_size: sp.Int({ ge: 1, le: 64 }),
    norm_input: sp.Categorical([true, false]),
    use_dropout: sp.Categorical([true, false]),
    dropout_rate: sp.Conditional(sp.FieldCondition("use_dropout", sp.EqualsTo(true)), {
      true: sp.Float({ ge: 0.05, le: 0.5 }),
      false: null,
    }),
  });
  const ModelConfig = sp.config("ModelConfig", {
    block_config: sp.Categorical([DenseConfig, ConvConfig]),
    num_blocks: sp.Int({ ge: 2, le: 12 }),
    use_checkpoint: sp.Conditional(sp.FieldCondition("num_blocks", sp.LargerThan(8)), {
      true: true,
      false: false,
    }),
  });
  const TrainingConfig = sp.config("TrainingConfig", {
    model: ModelConfig,
    optimizer: OptimizerConfig,
    batch_size: sp.Int({ ge: 16, le: 128 }),
  });

  const P = "TrainingConfig.model::ModelConfig.block_config";

  it("has exactly the blog's parameter names", () => {
    expect(TrainingConfig.parameterNames()).toEqual([
      P,
      `${P}::DenseConfig.activation`,
      `${P}::DenseConfig.norm_input`,
      `${P}::DenseConfig.num_layers`,
      `${P}::DenseConfig.use_dropout`,
      `${P}::DenseConfig.dropout_rate::true_branch`,
      `${P}::ConvConfig.activation`,
      `${P}::ConvConfig.kernel_size`,
      `${P}::ConvConfig.norm_input`,
      `${P}::ConvConfig.num_layers`,
      `${P}::ConvConfig.use_dropout`,
      `${P}::ConvConfig.dropout_rate::true_branch`,
      "TrainingConfig.model::ModelConfig.num_blocks",
      "TrainingConfig.optimizer::OptimizerConfig.learning_rate",
      "TrainingConfig.optimizer::OptimizerConfig.name",
      "TrainingConfig.optimizer::OptimizerConfig.beta2::true_branch",
      "TrainingConfig.optimizer::OptimizerConfig.momentum::true_branch",
      "TrainingConfig.batch_size",
    ]);
  });

  it("equals the same config built with the idiomatic API", () => {
    const Opt = sp.config("OptimizerConfig", {
      name: sp.categorical(["adam", "sgd"]),
      learning_rate: sp.float({ ge: 1e-5, le: 1e-2, log: true }),
      momentum: sp.conditional(sp.field("name").eq("sgd"), {
        true: sp.float({ ge: 0, le: 0.99 }),
        false: null,
      }),
      beta2: sp.conditional(sp.field("name").eq("adam"), {
        true: sp.float({ ge: 0.9, le: 0.999 }),
        false: null,
      }),
    });
    const block = {
      num_layers: sp.int({ ge: 2, le: 12 }),
      activation: sp.categorical(["silu", "mish", "relu", "gelu"]),
    };
    const dropout = {
      norm_input: sp.boolean(),
      use_dropout: sp.boolean(),
      dropout_rate: sp.conditional(sp.field("use_dropout").eq(true), {
        true: sp.float({ ge: 0.05, le: 0.5 }),
        false: null,
      }),
    };
    const Dense = sp.config("DenseConfig", { ...block, ...dropout });
    const Conv = sp.config("ConvConfig", {
      ...block,
      kernel_size: sp.int({ ge: 1, le: 64 }),
      ...dropout,
    });
    const Model = sp.config("ModelConfig", {
      block_config: sp.categorical([Dense, Conv]),
      num_blocks: sp.int({ ge: 2, le: 12 }),
      use_checkpoint: sp.conditional(sp.field("num_blocks").gt(8), { true: true, false: false }),
    });
    const Training = sp.config("TrainingConfig", {
      model: Model,
      optimizer: Opt,
      batch_size: sp.int({ ge: 16, le: 128 }),
    });
    expectSame(TrainingConfig, Training);
  });

  it("samples are valid and consistent with the conditions", () => {
    for (const seed of seeds(30)) {
      const c = TrainingConfig.random({ seed });
      expect(TrainingConfig.parse(c)).toEqual(c);
      expect(c.model.use_checkpoint).toBe(c.model.num_blocks > 8);
      if (c.optimizer.name === "adam") expect(c.optimizer.momentum).toBe(null);
      else expect(c.optimizer.beta2).toBe(null);
      const block = c.model.block_config;
      if (!block.use_dropout) expect(block.dropout_rate).toBe(null);
      expect(["DenseConfig", "ConvConfig"]).toContain(block.__type__);
    }
  });

  it("round-trips through every file format", () => {
    for (const seed of seeds(10)) {
      const c = TrainingConfig.random({ seed });
      for (const format of ["json", "yaml", "toml"] as const) {
        expect(TrainingConfig.load(TrainingConfig.dump(c, format), format)).toEqual(c);
      }
    }
  });
});
