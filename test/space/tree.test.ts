import { describe, expect, it } from "vitest";
import * as sp from "../../src/index.js";

const lines = (...l: string[]) => l.join("\n");

describe("tree(): the SPEC §5 drawing", () => {
  it("SmartTrainingConfig, character for character", () => {
    const Smart = sp.config("SmartTrainingConfig", {
      num_encoder_layers: sp.int({ ge: 4, le: 32 }),
      batch_size: sp.int({ ge: 8, le: 128 }),
      optimizer: sp.categorical([sp.choice("adam", { weight: 3 }), "sgd", "rmsprop"]),
      use_grad_checkpointing: sp.conditional(sp.field("num_encoder_layers").gt(8), {
        true: true,
        false: false,
      }),
      accumulation_steps: sp.conditional(sp.field("batch_size").le(32), {
        true: sp.int({ ge: 2, le: 8 }),
        false: 1,
      }),
      num_head_layers: sp.conditional(sp.field("num_encoder_layers").gt(16), {
        true: sp.int({ ge: 1, le: 3 }),
        false: sp.int({ ge: 2, le: 8 }),
      }),
    });
    expect(Smart.tree()).toBe(
      lines(
        "SmartTrainingConfig",
        "├─ num_encoder_layers: Int([4, 32], uniform)",
        "├─ batch_size: Int([8, 128], uniform)",
        "├─ optimizer: Categorical",
        "│  ├─ 'adam' (weight: 3)",
        "│  ├─ 'sgd'",
        "│  └─ 'rmsprop'",
        "├─ use_grad_checkpointing: Conditional (if num_encoder_layers > 8)",
        "│  ├─ true: true",
        "│  └─ false: false",
        "├─ accumulation_steps: Conditional (if batch_size <= 32)",
        "│  ├─ true: Int([2, 8], uniform)",
        "│  └─ false: 1",
        "└─ num_head_layers: Conditional (if num_encoder_layers > 16)",
        "   ├─ true: Int([1, 3], uniform)",
        "   └─ false: Int([2, 8], uniform)",
      ),
    );
  });

  it("the blog's simple ExperimentConfig", () => {
    const Experiment = sp.config("ExperimentConfig", {
      learning_rate: sp.float({ ge: 1e-5, le: 0.1, log: true }),
      batch_size: sp.int({ ge: 16, le: 128 }),
      optimizer: sp.categorical(["adam", "sgd", "rmsprop"]),
      num_layers: sp.int({ ge: 1, le: 10 }),
    });
    expect(Experiment.tree()).toBe(
      lines(
        "ExperimentConfig",
        "├─ learning_rate: Float([1e-5, 0.1], log)",
        "├─ batch_size: Int([16, 128], uniform)",
        "├─ optimizer: Categorical['adam', 'sgd', 'rmsprop']",
        "└─ num_layers: Int([1, 10], uniform)",
      ),
    );
  });
});

describe("tree(): structure", () => {
  it("fields stay in declaration order even when sampling reorders them", () => {
    const C = sp.config("C", {
      zeta: sp.int({ ge: 1, le: 5 }),
      alpha: sp.conditional(sp.field("zeta").gt(2), { true: 1, false: 2 }),
    });
    expect(C.tree()).toBe(
      lines(
        "C",
        "├─ zeta: Int([1, 5], uniform)",
        "└─ alpha: Conditional (if zeta > 2)",
        "   ├─ true: 1",
        "   └─ false: 2",
      ),
    );
  });

  it("nested configs are subtrees with correct continuation bars", () => {
    const Inner = sp.config("Inner", { value: sp.int({ ge: 0, le: 10 }), tag: "t" });
    const Outer = sp.config("Outer", { inner: Inner, x: sp.float({ ge: 0, le: 1 }) });
    expect(Outer.tree()).toBe(
      lines(
        "Outer",
        "├─ inner: Inner",
        "│  ├─ value: Int([0, 10], uniform)",
        "│  └─ tag: 't'",
        "└─ x: Float([0, 1], uniform)",
      ),
    );
  });

  it("a nested config as the last field uses spaces, not bars", () => {
    const Inner = sp.config("Inner", { value: sp.int({ ge: 0, le: 10 }) });
    const Outer = sp.config("Outer", { x: 1, inner: Inner });
    expect(Outer.tree()).toBe(
      lines("Outer", "├─ x: 1", "└─ inner: Inner", "   └─ value: Int([0, 10], uniform)"),
    );
  });

  it("config choices are subtrees; null is a plain choice", () => {
    const Cosine = sp.config("Cosine", { warmup: sp.int({ ge: 0, le: 10 }) });
    const Step = sp.config("Step", { gamma: sp.float({ ge: 0.1, le: 0.9 }) });
    const T = sp.config("T", { scheduler: sp.categorical([Cosine, Step, null]) });
    expect(T.tree()).toBe(
      lines(
        "T",
        "└─ scheduler: Categorical",
        "   ├─ Cosine",
        "   │  └─ warmup: Int([0, 10], uniform)",
        "   ├─ Step",
        "   │  └─ gamma: Float([0.1, 0.9], uniform)",
        "   └─ null",
      ),
    );
  });

  it("a weighted config choice shows its weight", () => {
    const A = sp.config("A", { a: sp.int({ ge: 0, le: 1 }) });
    const T = sp.config("T", { c: sp.categorical([sp.choice(A, { weight: 2 }), null]) });
    expect(T.tree()).toBe(
      lines(
        "T",
        "└─ c: Categorical",
        "   ├─ A (weight: 2)",
        "   │  └─ a: Int([0, 1], uniform)",
        "   └─ null",
      ),
    );
  });

  it("a config in a conditional branch", () => {
    const Adam = sp.config("Adam", { beta: sp.float({ ge: 0.8, le: 0.99 }) });
    const T = sp.config("T", {
      on: sp.boolean(),
      opt: sp.conditional(sp.field("on").eq(true), { true: Adam, false: null }),
    });
    expect(T.tree()).toBe(
      lines(
        "T",
        "├─ on: Categorical[true, false]",
        "└─ opt: Conditional (if on == true)",
        "   ├─ true: Adam",
        "   │  └─ beta: Float([0.8, 0.99], uniform)",
        "   └─ false: null",
      ),
    );
  });

  it("a conditional nested in a branch, with and/or rendering", () => {
    const T = sp.config("T", {
      a: sp.int({ ge: 0, le: 3 }),
      b: sp.categorical(["x", "y"]),
      c: sp.conditional(sp.and(sp.field("a").gt(1), sp.field("b").eq("x")), {
        true: sp.conditional(sp.or(sp.field("a").eq(3), sp.field("b").ne("y")), {
          true: 1,
          false: 2,
        }),
        false: 0,
      }),
    });
    expect(T.tree()).toBe(
      lines(
        "T",
        "├─ a: Int([0, 3], uniform)",
        "├─ b: Categorical['x', 'y']",
        "└─ c: Conditional (if a > 1 and b == 'x')",
        "   ├─ true: Conditional (if a == 3 or b != 'y')",
        "   │  ├─ true: 1",
        "   │  └─ false: 2",
        "   └─ false: 0",
      ),
    );
  });

  it("fixed values print as values: strings quoted, null, booleans, arrays, objects", () => {
    const T = sp.config("T", {
      s: "it's",
      n: null,
      b: false,
      arr: [1, "a"],
      obj: { k: 1 },
    });
    expect(T.tree()).toBe(
      lines(
        "T",
        "├─ s: 'it\\'s'",
        "├─ n: null",
        "├─ b: false",
        "├─ arr: [1, 'a']",
        "└─ obj: {'k': 1}",
      ),
    );
  });
});

describe("tree(): numbers", () => {
  const one = (space: sp.AnySpace) =>
    sp
      .config("N", { v: space as sp.FloatSpace })
      .tree()
      .split("\n")[1]!
      .slice("└─ v: ".length);

  it("exclusive bounds use ( and )", () => {
    expect(one(sp.float({ gt: 0, lt: 1 }))).toBe("Float((0, 1), uniform)");
    expect(one(sp.float({ gt: 0, le: 1 }))).toBe("Float((0, 1], uniform)");
    expect(one(sp.int({ ge: 0, lt: 10 }))).toBe("Int([0, 10), uniform)");
  });

  it("formats small magnitudes in exponent form, others in shortest form", () => {
    expect(one(sp.float({ ge: 1e-5, le: 1e-3 }))).toBe("Float([1e-5, 0.001], uniform)");
    expect(one(sp.float({ ge: 2.5e-4, le: 0.5 }))).toBe("Float([2.5e-4, 0.5], uniform)");
    expect(one(sp.float({ ge: -1e-4, le: 1e6 }))).toBe("Float([-1e-4, 1000000], uniform)");
    expect(one(sp.float({ ge: 0, le: 1e21 }))).toBe("Float([0, 1e+21], uniform)");
  });

  it("log ints and steps", () => {
    expect(one(sp.int({ ge: 16, le: 512, log: true }))).toBe("Int([16, 512], log)");
    expect(one(sp.int({ ge: 1, le: 10, step: 3 }))).toBe("Int([1, 10], uniform, step=3)");
    expect(one(sp.float({ ge: 0, le: 1, step: 0.25 }))).toBe("Float([0, 1], uniform, step=0.25)");
  });

  it("weights print with the same number format", () => {
    const T = sp.config("T", { o: sp.categorical([sp.choice("a", { weight: 0.5 }), "b"]) });
    expect(T.tree()).toBe(lines("T", "└─ o: Categorical", "   ├─ 'a' (weight: 0.5)", "   └─ 'b'"));
  });

  it("one-line categoricals of mixed values", () => {
    const T = sp.config("T", { o: sp.categorical([1, "1", true, null]) });
    expect(T.tree()).toBe(lines("T", "└─ o: Categorical[1, '1', true, null]"));
  });
});

describe("tree({ override })", () => {
  const T = sp.config("T", {
    learning_rate: sp.float({ ge: 1e-5, le: 0.1, log: true }),
    optimizer: sp.categorical([sp.choice("adam", { weight: 3 }), "sgd", "rmsprop"]),
    batch_size: sp.int({ ge: 16, le: 128 }),
    depth: sp.int({ ge: 1, le: 12 }),
  });

  it("shows the narrowed space", () => {
    expect(
      T.tree({
        override: {
          learning_rate: { ge: 2.5e-4 },
          optimizer: ["adam", "sgd"],
          batch_size: [16, 32],
          depth: 3,
        },
      }),
    ).toBe(
      lines(
        "T",
        "├─ learning_rate: Float([2.5e-4, 0.1], log)",
        "├─ optimizer: Categorical",
        "│  ├─ 'adam' (weight: 3)",
        "│  └─ 'sgd'",
        "├─ batch_size: Categorical[16, 32]",
        "└─ depth: 3",
      ),
    );
  });

  it("does not change the tree of the original", () => {
    const before = T.tree();
    T.tree({ override: { depth: 3 } });
    expect(T.tree()).toBe(before);
    expect(before).toContain("depth: Int([1, 12], uniform)");
  });
});
