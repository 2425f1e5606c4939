/**
 * SpaX 0.2.0's public sampling vectors C–G (reference/spax-vectors.md), exactly.
 * Vectors A and B (the RNG itself) are covered in test/sample/mt19937.test.ts.
 */
import { describe, expect, it } from "vitest";
import * as sp from "../../src/index.js";
import { RecordingSampler } from "./helpers.js";

/** Relative closeness for log-scaled floats (exp/log may differ by an ulp between platforms). */
function expectClose(actual: number, expected: number, rel = 1e-12) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected));
}

describe("vector C: SimpleConfig", () => {
  const SimpleConfig = sp.config("SimpleConfig", {
    x: sp.int({ ge: 0, le: 100 }),
    y: sp.float({ ge: 0, le: 1 }),
    choice: sp.categorical(["a", "b", "c"]),
  });

  it("seed 42 → (81, 0.11133106816568039, 'c')", () => {
    expect(SimpleConfig.random({ seed: 42 })).toEqual({
      x: 81,
      y: 0.11133106816568039,
      choice: "c",
    });
  });

  it("parameter names SimpleConfig.x / .y / .choice", () => {
    expect(SimpleConfig.parameterNames()).toEqual([
      "SimpleConfig.x",
      "SimpleConfig.y",
      "SimpleConfig.choice",
    ]);
  });

  it("override { x: 50 } → (50, 0.6394267984578837, 'a'): a fixed field draws nothing", () => {
    expect(SimpleConfig.random({ seed: 42, override: { x: 50 } })).toEqual({
      x: 50,
      y: 0.6394267984578837,
      choice: "a",
    });
  });

  it("override { x: { ge: 10, le: 50 }, choice: ['a', 'c'] } → (50, 0.11133106816568039, 'c')", () => {
    expect(
      SimpleConfig.random({ seed: 42, override: { x: { ge: 10, le: 50 }, choice: ["a", "c"] } }),
    ).toEqual({ x: 50, y: 0.11133106816568039, choice: "c" });
  });

  it("a bigint seed gives the same config", () => {
    expect(SimpleConfig.random({ seed: 42n })).toEqual(SimpleConfig.random({ seed: 42 }));
  });
});

describe("vector D: Outer with a nested Inner", () => {
  const Inner = sp.config("Inner", { value: sp.int({ ge: 0, le: 10 }) });
  const Outer = sp.config("Outer", { x: sp.int({ ge: 0, le: 100 }), inner: Inner });

  it("seed 42 → x=81, inner.value=1", () => {
    expect(Outer.random({ seed: 42 })).toEqual({ x: 81, inner: { value: 1 } });
  });

  it("names Outer.x, Outer.inner::Inner.value", () => {
    expect(Outer.parameterNames()).toEqual(["Outer.x", "Outer.inner::Inner.value"]);
  });

  it("dump {'x': 81, 'inner': {'value': 1, '__type__': 'Inner'}}", () => {
    const dumped = JSON.parse(Outer.dump(Outer.random({ seed: 42 }), "json"));
    expect(dumped).toEqual({ x: 81, inner: { value: 1, __type__: "Inner" } });
    expect(Object.keys(dumped.inner)).toEqual(["value", "__type__"]);
  });
});

describe("vector E: Main with a choice among configs A | B", () => {
  const A = sp.config("A", { a: sp.int({ ge: 0, le: 10 }) });
  const B = sp.config("B", { b: sp.float({ ge: 0, le: 1 }) });
  const Main = sp.config("Main", { choice: sp.categorical([A, B]) });

  it("seeds 42, 0, 1, 2", () => {
    expect(Main.random({ seed: 42 })).toEqual({
      choice: { b: 0.025010755222666936, __type__: "B" },
    });
    expect(Main.random({ seed: 0 })).toEqual({ choice: { b: 0.7579544029403025, __type__: "B" } });
    expect(Main.random({ seed: 1 })).toEqual({ choice: { a: 1, __type__: "A" } });
    expect(Main.random({ seed: 2 })).toEqual({ choice: { b: 0.9478274870593494, __type__: "B" } });
  });

  it("record {'Main.choice': 'B', 'Main.choice::B.b': …} through a sampler", () => {
    const s = new RecordingSampler((call) =>
      call[0] === "categorical" ? "B" : 0.025010755222666936,
    );
    expect(Main.sample(s)).toEqual({ choice: { b: 0.025010755222666936, __type__: "B" } });
    expect(s.calls.map((c) => c[1])).toEqual(["Main.choice", "Main.choice::B.b"]);
  });

  it("template {'choice': {'A': {'a': {'ge': 0, 'le': 10}}, 'B': {'b': {'ge': 0.0, 'le': 1.0}}}}", () => {
    expect(Main.overrideTemplate()).toEqual({
      choice: { A: { a: { ge: 0, le: 10 } }, B: { b: { ge: 0, le: 1 } } },
    });
  });

  it("the template fed back reproduces the space and its samples", () => {
    const again = Main.narrow(Main.overrideTemplate() as never);
    expect(again.toJSON()).toEqual(Main.toJSON());
    expect(again.random({ seed: 42 })).toEqual(Main.random({ seed: 42 }));
  });

  it("names Main.choice, Main.choice::A.a, Main.choice::B.b", () => {
    expect(Main.parameterNames()).toEqual(["Main.choice", "Main.choice::A.a", "Main.choice::B.b"]);
  });
});

describe("vector F: log int and log float", () => {
  const F = sp.config("F", {
    n: sp.int({ ge: 1, le: 1000, log: true }),
    lr: sp.float({ ge: 1e-5, le: 1e-1, log: true }),
  });
  const expected: [number, number, number][] = [
    [0, 341, 0.01076013231434323],
    [1, 3, 0.024532112507341677],
    [2, 738, 0.06184576248653472],
    [3, 5, 0.0015028543792711417],
  ];
  for (const [seed, n, lr] of expected) {
    it(`seed ${seed} → (${n}, ${lr})`, () => {
      const c = F.random({ seed });
      expect(c.n).toBe(n);
      expectClose(c.lr, lr);
    });
  }
});

describe("vector G: field order with a conditional", () => {
  const Ord = sp.config("Ord", {
    zeta: sp.int({ ge: 1, le: 5 }),
    beta: sp.boolean(),
    alpha: sp.conditional(sp.field("zeta").gt(2), { true: sp.float({ ge: 0, le: 1 }), false: 0.5 }),
    gamma: "fixed",
  });

  it("order [beta, gamma, zeta, alpha]", () => {
    expect(Ord.order.map((i) => Ord.fields[i]!.name)).toEqual(["beta", "gamma", "zeta", "alpha"]);
  });

  it("names [Ord.beta, Ord.zeta, Ord.alpha::true_branch]", () => {
    expect(Ord.parameterNames()).toEqual(["Ord.beta", "Ord.zeta", "Ord.alpha::true_branch"]);
  });

  it("seed 7 → zeta=2, beta=True, alpha=0.5", () => {
    expect(Ord.random({ seed: 7 })).toEqual({ zeta: 2, beta: true, alpha: 0.5, gamma: "fixed" });
  });

  it("record {'Ord.beta': …, 'Ord.zeta': 2}: the sampler is asked beta, then zeta only", () => {
    const s = new RecordingSampler((call) => (call[0] === "categorical" ? true : 2));
    expect(Ord.sample(s)).toEqual({ zeta: 2, beta: true, alpha: 0.5, gamma: "fixed" });
    expect(s.calls.map((c) => c[1])).toEqual(["Ord.beta", "Ord.zeta"]);
  });

  it("without alpha the order stays [zeta, beta, gamma]", () => {
    const NoAlpha = sp.config("Ord", {
      zeta: sp.int({ ge: 1, le: 5 }),
      beta: sp.boolean(),
      gamma: "fixed",
    });
    expect(NoAlpha.order.map((i) => NoAlpha.fields[i]!.name)).toEqual(["zeta", "beta", "gamma"]);
  });
});
