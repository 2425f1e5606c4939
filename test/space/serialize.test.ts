import { describe, expect, it } from "vitest";
import * as sp from "../../src/index.js";
import { expectError, JUNK, seeds, thrown } from "./helpers.js";

const FORMATS = ["json", "yaml", "toml"] as const;

const Inner = sp.config("Inner", { value: sp.int({ ge: 0, le: 10 }) });
const Outer = sp.config("Outer", { x: sp.int({ ge: 0, le: 100 }), inner: Inner });

const A = sp.config("A", { a: sp.int({ ge: 0, le: 10 }) });
const B = sp.config("B", { b: sp.float({ ge: 0, le: 1 }), n: sp.categorical([null, "x"]) });
const M = sp.config("M", {
  choice: sp.categorical([A, B, null]),
  lr: sp.float({ ge: 1e-5, le: 1e-1, log: true }),
  tag: null,
  inner: Inner,
  on: sp.boolean(),
  branch: sp.conditional(sp.field("on").eq(true), { true: A, false: [0.9, 0.999] }),
});

describe("dump: SpaX's format (vector D)", () => {
  const c = Outer.random({ seed: 42 });

  it("JSON: nested configs carry __type__, appended last", () => {
    expect(c).toEqual({ x: 81, inner: { value: 1 } });
    expect(Outer.dump(c, "json")).toBe(
      '{\n  "x": 81,\n  "inner": {\n    "value": 1,\n    "__type__": "Inner"\n  }\n}\n',
    );
    expect(JSON.parse(Outer.dump(c, "json"))).toEqual({
      x: 81,
      inner: { value: 1, __type__: "Inner" },
    });
  });

  it("YAML", () => {
    expect(Outer.dump(c, "yaml")).toBe("x: 81\ninner:\n  value: 1\n  __type__: Inner\n");
  });

  it("TOML", () => {
    expect(Outer.dump(c, "toml")).toBe('x = 81\n\n[inner]\nvalue = 1\n__type__ = "Inner"\n');
  });

  it("the default format is JSON", () => {
    expect(Outer.dump(c)).toBe(Outer.dump(c, "json"));
  });

  it("a config choice writes its own __type__ once, last", () => {
    const v = M.parse({
      choice: { b: 0.5, n: null },
      lr: 0.01,
      inner: { value: 2 },
      on: false,
    });
    const json = JSON.parse(M.dump(v, "json"));
    expect(json.choice).toEqual({ b: 0.5, n: null, __type__: "B" });
    expect(Object.keys(json.choice)).toEqual(["b", "n", "__type__"]);
    expect(json.inner).toEqual({ value: 2, __type__: "Inner" });
    expect(json.branch).toEqual([0.9, 0.999]);
  });
});

describe("dump/load round trips", () => {
  for (const format of FORMATS) {
    it(`${format}: sampled configs load back equal (nested, choices, nulls, branches)`, () => {
      for (const seed of seeds(25)) {
        const v = M.random({ seed });
        const text = M.dump(v, format);
        expect(M.load(text, format), `${format} seed ${seed}:\n${text}`).toEqual(v);
      }
    });
  }

  it("TOML keeps null fields (written as __null__), also inside nested tables", () => {
    const v = M.parse({ choice: { b: 0.1, n: null }, lr: 0.01, inner: { value: 1 }, on: false });
    const text = M.dump(v, "toml");
    expect(text).toContain("__null__");
    const back = M.load(text, "toml");
    expect(back).toEqual(v);
    expect(back.tag).toBe(null);
    expect((back.choice as { n: unknown }).n).toBe(null);
  });

  it("a tuple-like array fixed branch round-trips in every format (SpaX defect 6)", () => {
    const v = M.parse({ choice: null, lr: 0.01, inner: { value: 1 }, on: false });
    for (const format of FORMATS) expect(M.load(M.dump(v, format), format)).toEqual(v);
  });

  it("a config in a conditional branch round-trips with __type__", () => {
    const v = M.parse({ choice: null, lr: 0.01, inner: { value: 1 }, on: true, branch: { a: 4 } });
    expect(v.branch).toEqual({ a: 4, __type__: "A" });
    for (const format of FORMATS) {
      const text = M.dump(v, format);
      expect(text).toMatch(/__type__/);
      expect(M.load(text, format)).toEqual(v);
    }
  });

  it("ambiguous config choices load back to the same config thanks to __type__", () => {
    const A2 = sp.config("A2", { a: sp.int({ ge: 0, le: 10 }) });
    const C = sp.config("C", { pick: sp.categorical([A, A2]) });
    for (const seed of seeds(10)) {
      const v = C.random({ seed });
      for (const format of FORMATS) expect(C.load(C.dump(v, format), format)).toEqual(v);
    }
  });

  it("floats round-trip bit for bit", () => {
    const F = sp.config("F", {
      x: sp.float({ ge: 0, le: 1 }),
      y: sp.float({ ge: 1e-300, le: 1e300, log: true }),
    });
    for (const seed of seeds(20)) {
      const v = F.random({ seed });
      for (const format of FORMATS) {
        const back = F.load(F.dump(v, format), format);
        expect(Object.is(back.x, v.x)).toBe(true);
        expect(Object.is(back.y, v.y)).toBe(true);
      }
    }
  });
});

describe("load", () => {
  it("accepts SpaX files with __type__ and plain files without it", () => {
    const withType = '{"x": 5, "inner": {"value": 3, "__type__": "Inner"}}';
    const without = '{"x": 5, "inner": {"value": 3}}';
    expect(Outer.load(withType, "json")).toEqual({ x: 5, inner: { value: 3 } });
    expect(Outer.load(without, "json")).toEqual({ x: 5, inner: { value: 3 } });
  });

  it("YAML 1e-5 loads as a number", () => {
    const C = sp.config("C", { lr: sp.float({ ge: 1e-6, le: 1e-1, log: true }) });
    expect(C.load("lr: 1e-5\n", "yaml")).toEqual({ lr: 1e-5 });
    expect(C.load("lr: 1.0e-5\n", "yaml")).toEqual({ lr: 1e-5 });
    expect(C.load("lr: 1E-5\n", "yaml")).toEqual({ lr: 1e-5 });
  });

  it("YAML yes/no/on are strings, not booleans (YAML 1.2)", () => {
    const C = sp.config("C", { flag: sp.boolean() });
    const r = thrown(() => C.load("flag: yes\n", "yaml"));
    expect(r).toBeInstanceOf(sp.SpaxValidationError);
    expect(C.load("flag: true\n", "yaml")).toEqual({ flag: true });
  });

  it("fills defaults and fixed values like parse", () => {
    const C = sp.config("C", { a: sp.int({ ge: 0, le: 9, default: 4 }), name: "x" });
    expect(C.load("{}", "json")).toEqual({ a: 4, name: "x" });
    expect(C.load("", "toml")).toEqual({ a: 4, name: "x" });
  });

  it("malformed text is a SpaxSyntaxError with line and column", () => {
    const json = expectError(
      () => Outer.load('{"x": 5,\n "inner": }', "json", { file: "cfg.json" }),
      sp.SpaxSyntaxError,
      "invalid_syntax",
    );
    expect(json.file).toBe("cfg.json");
    expect(json.line).toBe(2);
    expect(json.column).toBeGreaterThan(0);
    expect(json.message.startsWith("cfg.json:2:")).toBe(true);

    const yaml = expectError(
      () => Outer.load("x: 5\ninner: [1\n", "yaml"),
      sp.SpaxSyntaxError,
      "invalid_syntax",
    );
    expect(yaml.file).toBe("<text>");
    expect(yaml.line).toBeGreaterThanOrEqual(2);

    const toml = expectError(
      () => Outer.load("x = 5\ny = = 3\n", "toml"),
      sp.SpaxSyntaxError,
      "invalid_syntax",
    );
    expect(toml.line).toBe(2);
    expect(toml.column).toBe(5);
  });

  it("an invalid config is a SpaxValidationError naming the file (and line where known)", () => {
    const e = expectError(
      () =>
        M.load('{"choice": null,\n "lr": 1,\n "inner": {"value": 1}, "on": false}', "json", {
          file: "cfg.json",
        }),
      sp.SpaxValidationError,
      "too_big",
    );
    expect(e.message).toContain("cfg.json");
    expect(e.message).toContain("lr: must be <= 0.1, got 1 (cfg.json:2)");
    expect(e.issues[0]).toMatchObject({ code: "too_big", path: ["lr"], input: 1 });

    const y = expectError(
      () =>
        M.load("choice: null\nlr: 0.01\ninner:\n  value: 11\non: false\n", "yaml", {
          file: "c.yaml",
        }),
      sp.SpaxValidationError,
      "too_big",
    );
    expect(y.message).toContain("c.yaml:4");

    const t = thrown(() =>
      M.load("lr = 1\non = false\n[inner]\nvalue = 1\n", "toml", { file: "c.toml" }),
    );
    expect(t).toBeInstanceOf(sp.SpaxValidationError);
    expect(t.message).toContain("c.toml");
  });

  it("an unknown format is a SpaxError", () => {
    expect(() => Outer.load("{}", "xml" as never)).toThrow(sp.SpaxError);
    expect(() => Outer.dump({ x: 1, inner: { value: 1 } }, "xml" as never)).toThrow(sp.SpaxError);
  });

  it("junk text is a SpaxError, never a TypeError", () => {
    for (const [label, junk] of JUNK) {
      if (label === "string") continue;
      const e = thrown(() => Outer.load(junk as never, "json"));
      expect(e, label).toBeInstanceOf(sp.SpaxError);
    }
  });

  it("junk load options are SpaxErrors, never TypeErrors", () => {
    for (const [label, junk] of JUNK) {
      if (label === "undefined" || label === "empty object" || label === "null-prototype object")
        continue;
      let error: unknown;
      try {
        Outer.load('{"x": 1, "inner": {"value": 1}}', "json", junk as never);
      } catch (e) {
        error = e;
      }
      if (error !== undefined) expect(error, label).toBeInstanceOf(sp.SpaxError);
    }
  });
});

describe("dump: only valid configs are written", () => {
  it("an invalid config is a SpaxValidationError", () => {
    const e = expectError(
      () => Outer.dump({ x: 101, inner: { value: 1 } }, "json"),
      sp.SpaxValidationError,
      "too_big",
    );
    expect(e.issues[0].path).toEqual(["x"]);
  });

  it("junk configs are SpaxValidationErrors", () => {
    for (const [label, junk] of JUNK) {
      const e = thrown(() => Outer.dump(junk as never, "yaml"));
      expect(e, label).toBeInstanceOf(sp.SpaxValidationError);
    }
  });

  it("dump fills defaults and normalises the config like parse", () => {
    const C = sp.config("C", { a: sp.int({ ge: 0, le: 9, default: 4 }), name: "x" });
    expect(JSON.parse(C.dump({} as never, "json"))).toEqual({ a: 4, name: "x" });
  });
});
