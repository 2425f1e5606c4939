// Differential test against Optuna 3.1: every scenario of fixtures/pruners.json (made by
// fixtures/gen-pruners.py with the real Optuna) is replayed on a FakeStudy, and every pruning
// decision — and every system attribute a Successive Halving rung wrote — must be Optuna's.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { JsonValue } from "../../../src/space/values.js";
import type { StudyDirection, TrialState } from "../../../src/study/frozen-trial.js";
import { _crc32, _log, _nanPercentile } from "../../../src/study/pruners/_internal.js";
import {
  HyperbandPruner,
  MedianPruner,
  PatientPruner,
  PercentilePruner,
  SuccessiveHalvingPruner,
  ThresholdPruner,
} from "../../../src/study/pruners/index.js";
import type { Pruner } from "../../../src/study/sampler.js";
import { FakeStudy } from "./fake-study.js";

/** A number as the fixture writes it: NaN as null, ±Infinity as ±1e999 (parsed as such). */
type Num = number | null;
type Attrs = Record<string, Num>;

type Op =
  | ["add", TrialState, Num, number[], Num[], Attrs]
  | ["ask"]
  | ["report", number, number, Num]
  | ["step", number, number, Num, boolean, Attrs?]
  | ["prune", number, boolean, Attrs?]
  | ["tell", number, TrialState, Num];

interface PrunerSpec {
  type: "median" | "percentile" | "successiveHalving" | "hyperband" | "threshold" | "patient";
  percentile?: number;
  wrapped?: PrunerSpec;
  [option: string]: unknown;
}

interface Scenario {
  id: string;
  pruner: PrunerSpec;
  direction: StudyDirection;
  studyName: string;
  hyperband?: {
    maxResource: number | null;
    nBrackets: number | null;
    budgets: number[];
    brackets: number[];
  };
  minResource?: number | null;
  ops: Op[];
}

interface Fixture {
  optuna: string;
  scenarios: Scenario[];
  percentiles: [Num[], number, Num][];
  brackets: ([number, number, number, number] | [number, number, number, number, number[]])[];
  logs: [number, number][];
  crc32: [string, number][];
}

const fixture: Fixture = JSON.parse(
  readFileSync(new URL("./fixtures/pruners.json", import.meta.url), "utf8"),
);

const num = (v: Num): number => (v === null ? Number.NaN : v);
const opt = (v: Num): number | undefined => (v === null ? undefined : v);
const attrs = (a: Attrs = {}): Record<string, JsonValue> =>
  Object.fromEntries(Object.entries(a).map(([k, v]) => [k, num(v)]));

function build(spec: PrunerSpec, studyName: string): Pruner {
  const { type, percentile, wrapped, ...options } = spec;
  switch (type) {
    case "median":
      return new MedianPruner(options);
    case "percentile":
      return new PercentilePruner(percentile!, options);
    case "successiveHalving":
      return new SuccessiveHalvingPruner(options);
    case "hyperband":
      // Optuna hashes "<study name>_<number>" to pick brackets; with the same name, so do we.
      return new HyperbandPruner({ ...options, studyName });
    case "threshold":
      return new ThresholdPruner(options);
    case "patient":
      return new PatientPruner(
        wrapped && build(wrapped, studyName),
        options as { patience: number; minDelta?: number },
      );
  }
}

interface Replay {
  pruner: Pruner;
  study: FakeStudy;
  checks: number;
  mismatches: string[];
}

function replay(s: Scenario): Replay {
  const study = new FakeStudy([s.direction]);
  const pruner = build(s.pruner, s.studyName);
  const out: Replay = { pruner, study, checks: 0, mismatches: [] };

  const check = (index: number, t: number, expected: boolean, written: Attrs | undefined) => {
    const before = study.trial(t);
    const decision = pruner.prune(study, before);
    const after = study.trial(t).systemAttrs;
    const wrote: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(after)) {
      if (!Object.hasOwn(before.systemAttrs, k) || !Object.is(before.systemAttrs[k], v)) {
        wrote[k] = v;
      }
    }
    out.checks++;
    const want = attrs(written);
    if (decision !== expected || JSON.stringify(wrote) !== JSON.stringify(want)) {
      out.mismatches.push(
        `op ${index} (trial ${t}, step ${[...before.intermediateValues.keys()].pop()}): ` +
          `prune ${decision} wrote ${JSON.stringify(wrote)}; Optuna ${expected} wrote ${JSON.stringify(want)}`,
      );
    }
  };

  s.ops.forEach((op, index) => {
    switch (op[0]) {
      case "add": {
        const [, state, value, steps, values, systemAttrs] = op;
        study.add({
          state,
          value: opt(value),
          curve: steps.map((step, i) => [step, num(values[i]!)] as const),
          systemAttrs: attrs(systemAttrs),
        });
        break;
      }
      case "ask":
        study.ask();
        break;
      case "report":
        study.report(op[1], op[2], num(op[3]));
        break;
      case "step":
        study.report(op[1], op[2], num(op[3]));
        check(index, op[1], op[4], op[5]);
        break;
      case "prune":
        check(index, op[1], op[2], op[3]);
        break;
      case "tell":
        study.tell(op[1], op[2], opt(op[3]));
        break;
    }
  });
  return out;
}

const kinds = [...new Set(fixture.scenarios.map((s) => s.pruner.type))];

it("the fixture comes from Optuna 3.1 and covers every pruner", () => {
  expect(fixture.optuna).toMatch(/^3\.1\./);
  expect(kinds.sort()).toEqual(
    ["hyperband", "median", "patient", "percentile", "successiveHalving", "threshold"].sort(),
  );
});

describe.each(kinds)("%s: same decisions as Optuna 3.1", (kind) => {
  const scenarios = fixture.scenarios.filter((s) => s.pruner.type === kind);

  it.each(scenarios.map((s) => [s.id, s] as const))("%s", (_id, s) => {
    const { pruner, study, checks, mismatches } = replay(s);
    expect(checks).toBeGreaterThan(0);
    expect(mismatches).toEqual([]);
    if (s.hyperband && s.hyperband.nBrackets !== null) {
      const hb = pruner as HyperbandPruner;
      expect(hb.nBrackets).toBe(s.hyperband.nBrackets);
      expect(hb.trialAllocationBudgets).toEqual(s.hyperband.budgets);
      expect(hb.maxResource).toBe(s.hyperband.maxResource);
      // Optuna's bracket of every trial, from the same "<study name>_<number>" hash.
      expect(study.trials.map((t) => hb.getBracketId(t.number))).toEqual(s.hyperband.brackets);
    }
    if (s.minResource !== undefined) {
      expect((pruner as SuccessiveHalvingPruner).minResource).toBe(s.minResource ?? undefined);
    }
  });

  it("prunes in some scenarios and keeps going in others (the fixture is not vacuous)", () => {
    let pruned = 0;
    let kept = 0;
    for (const s of scenarios) {
      for (const op of s.ops) {
        if (op[0] === "step") op[4] ? pruned++ : kept++;
        if (op[0] === "prune") op[2] ? pruned++ : kept++;
      }
    }
    expect(pruned).toBeGreaterThan(40);
    expect(kept).toBeGreaterThan(pruned);
  });
});

it("agrees with Optuna on every decision of every scenario", () => {
  let checks = 0;
  let disagreements = 0;
  for (const s of fixture.scenarios) {
    const r = replay(s);
    checks += r.checks;
    disagreements += r.mismatches.length;
  }
  expect(fixture.scenarios.length).toBeGreaterThanOrEqual(400);
  expect(checks).toBeGreaterThan(7000);
  expect(disagreements).toBe(0);
});

it("rung attributes are written as Optuna writes them", () => {
  // Guard against a vacuous rung comparison: the fixture must contain rung writes.
  const writes = fixture.scenarios.flatMap((s) =>
    s.ops.filter((op) => (op[0] === "step" && op[5]) || (op[0] === "prune" && op[3])),
  );
  expect(writes.length).toBeGreaterThan(200);
});

describe("numpy's nanpercentile", () => {
  it.each(fixture.percentiles.map((c, i) => [i, c] as const))(
    "case %i",
    (_i, [values, p, want]) => {
      expect(_nanPercentile(values.map(num), p)).toBe(num(want));
    },
  );
});

it("Hyperband's bracket count and budgets match Optuna's float formula near exact powers", () => {
  const wrong: string[] = [];
  for (const [minResource, maxResource, reductionFactor, nBrackets, budgets] of fixture.brackets) {
    const hb = new HyperbandPruner({ minResource, maxResource, reductionFactor });
    if (hb.nBrackets !== nBrackets) {
      wrong.push(
        `${minResource}..${maxResource} η=${reductionFactor}: ${hb.nBrackets} vs ${nBrackets}`,
      );
    }
    if (budgets && JSON.stringify(hb.trialAllocationBudgets) !== JSON.stringify(budgets)) {
      wrong.push(`${minResource}..${maxResource} η=${reductionFactor}: budgets`);
    }
  }
  expect(fixture.brackets.length).toBeGreaterThan(1000);
  expect(wrong).toEqual([]);
});

it("_log is Python's math.log (glibc's correctly rounded log), where Math.log may be an ulp off", () => {
  const wrong = fixture.logs.filter(([x, ln]) => _log(x) !== ln);
  expect(fixture.logs.length).toBeGreaterThan(250);
  expect(wrong).toEqual([]);
  // The case that matters: V8's Math.log(3) is one ulp below; Optuna's bracket count follows glibc.
  expect(_log(3)).toBe(1.0986122886681098);
  expect(Math.floor(_log(243) / _log(3))).toBe(4);
});

it("CRC-32 matches Python's binascii.crc32 over UTF-8", () => {
  for (const [text, crc] of fixture.crc32) expect(_crc32(text), text).toBe(crc);
});
