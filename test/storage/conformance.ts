/**
 * The storage conformance suite: the contract of `src/storage/base.ts`, as behaviour. Every
 * backend runs it (memory now; SQLite and PostgreSQL next):
 *
 *     describeStorage("sqlite", { create: async () => openSqlite(tmpFile()) });
 *
 * `create` must return an empty-enough storage: the suite uses unique study names and only
 * looks at the studies it created, so a shared database works too. `skip` (a reason) skips the
 * whole suite, e.g. when a PostgreSQL server is not available.
 *
 * Not a test file itself (vitest runs `*.test.ts` only).
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  CategoricalDistribution,
  type Distribution,
  DuplicateStudyError,
  distributionToJSON,
  FloatDistribution,
  type FrozenTrial,
  IntDistribution,
  type JsonValue,
  NotFoundError,
  SpaxError,
  type Storage,
  type StudySummary,
  TrialFinishedError,
  type TrialState,
} from "../../src/index.js";

export interface StorageFactory {
  /** A fresh storage (closed by the suite after each test). */
  create: () => Promise<Storage>;
  /** When set, the suite is skipped with this reason. */
  skip?: string;
}

let counter = 0;
/** A study name no other test (or earlier run on a shared database) uses. */
function uniqueName(label: string): string {
  counter++;
  return `conformance-${label}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

/** An id no storage will have handed out. */
const UNKNOWN_ID = 987_654_321;

/** Resolves to the rejection of `p` (fails when `p` resolves). */
async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection, but the promise resolved");
}

async function expectRejects(p: Promise<unknown>, cls: abstract new (...a: any[]) => Error) {
  const error = await rejection(p);
  expect(error).toBeInstanceOf(cls);
  expect(error).toBeInstanceOf(SpaxError);
  return error;
}

/** Tries a mutation that may throw (frozen objects in strict mode); ignores the throw. */
function tryMutate(fn: () => void): void {
  try {
    fn();
  } catch {
    // Frozen: fine, nothing changed.
  }
}

/** A plain, comparable copy of a trial (Maps and distributions as data). */
function plain(t: FrozenTrial) {
  return {
    trialId: t.trialId,
    number: t.number,
    state: t.state,
    values: t.values === undefined ? undefined : [...t.values],
    datetimeStart: t.datetimeStart?.getTime(),
    datetimeComplete: t.datetimeComplete?.getTime(),
    params: structuredClone({ ...t.params }),
    distributions: Object.fromEntries(
      Object.entries(t.distributions).map(([k, d]) => [k, distributionToJSON(d)]),
    ),
    userAttrs: structuredClone({ ...t.userAttrs }),
    systemAttrs: structuredClone({ ...t.systemAttrs }),
    intermediateValues: [...t.intermediateValues.entries()].sort((a, b) => a[0] - b[0]),
  };
}

function plainStudy(s: StudySummary) {
  return {
    studyId: s.studyId,
    name: s.name,
    directions: [...s.directions],
    userAttrs: structuredClone({ ...s.userAttrs }),
    systemAttrs: structuredClone({ ...s.systemAttrs }),
    nTrials: s.nTrials,
  };
}

/** Registers the conformance suite for one backend. */
export function describeStorage(name: string, factory: StorageFactory): void {
  const suite = factory.skip ? describe.skip : describe;
  suite(`storage conformance: ${name}${factory.skip ? ` (skipped: ${factory.skip})` : ""}`, () => {
    const opened: Storage[] = [];
    afterEach(async () => {
      while (opened.length > 0) await opened.pop()!.close();
    });
    async function open(): Promise<Storage> {
      const s = await factory.create();
      opened.push(s);
      return s;
    }
    async function withStudy(
      directions: ("minimize" | "maximize")[] = ["minimize"],
    ): Promise<{ storage: Storage; studyId: number; name: string }> {
      const storage = await open();
      const studyName = uniqueName("study");
      const studyId = await storage.createStudy(studyName, directions);
      return { storage, studyId, name: studyName };
    }

    // ---- studies ---------------------------------------------------------------------------

    describe("studies", () => {
      it("creates a study and finds it by name", async () => {
        const storage = await open();
        const n = uniqueName("create");
        const id = await storage.createStudy(n, ["maximize"]);
        expect(Number.isInteger(id)).toBe(true);
        expect(await storage.getStudyId(n)).toBe(id);
        expect(await storage.getStudyId(uniqueName("absent"))).toBeUndefined();
        const s = await storage.getStudy(id);
        expect(plainStudy(s)).toEqual({
          studyId: id,
          name: n,
          directions: ["maximize"],
          userAttrs: {},
          systemAttrs: {},
          nTrials: 0,
        });
        expect(s.datetimeStart).toBeUndefined();
      });

      it("keeps several directions in order", async () => {
        const storage = await open();
        const id = await storage.createStudy(uniqueName("multi"), [
          "minimize",
          "maximize",
          "minimize",
        ]);
        expect((await storage.getStudy(id)).directions).toEqual([
          "minimize",
          "maximize",
          "minimize",
        ]);
      });

      it("gives different studies different ids", async () => {
        const storage = await open();
        const a = await storage.createStudy(uniqueName("a"), ["minimize"]);
        const b = await storage.createStudy(uniqueName("b"), ["minimize"]);
        expect(a).not.toBe(b);
      });

      it("a duplicate name is a DuplicateStudyError and changes nothing", async () => {
        const storage = await open();
        const n = uniqueName("dup");
        const id = await storage.createStudy(n, ["minimize"]);
        await storage.setStudyUserAttr(id, "k", 1);
        const error = await expectRejects(
          storage.createStudy(n, ["maximize"]),
          DuplicateStudyError,
        );
        expect(error.message).toContain(n);
        expect(await storage.getStudyId(n)).toBe(id);
        const s = await storage.getStudy(id);
        expect(s.directions).toEqual(["minimize"]);
        expect(s.userAttrs).toEqual({ k: 1 });
        expect((await storage.getAllStudies()).filter((x) => x.name === n)).toHaveLength(1);
      });

      it("concurrent creates of one name: exactly one wins", async () => {
        const storage = await open();
        const n = uniqueName("race");
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, () => storage.createStudy(n, ["minimize"])),
        );
        const ok = results.filter((r) => r.status === "fulfilled");
        expect(ok).toHaveLength(1);
        for (const r of results) {
          if (r.status === "rejected") expect(r.reason).toBeInstanceOf(DuplicateStudyError);
        }
      });

      it("lists studies with their trial counts", async () => {
        const storage = await open();
        const a = uniqueName("list-a");
        const b = uniqueName("list-b");
        const ida = await storage.createStudy(a, ["minimize"]);
        const idb = await storage.createStudy(b, ["maximize", "minimize"]);
        await storage.createTrial(ida);
        await storage.createTrial(ida);
        await storage.createTrial(ida, { state: "WAITING" });
        await storage.createTrial(idb);
        const all = await storage.getAllStudies();
        const mine = all.filter((s) => s.name === a || s.name === b).map(plainStudy);
        mine.sort((x, y) => x.name.localeCompare(y.name));
        expect(mine).toEqual([
          {
            studyId: ida,
            name: a,
            directions: ["minimize"],
            userAttrs: {},
            systemAttrs: {},
            nTrials: 3,
          },
          {
            studyId: idb,
            name: b,
            directions: ["maximize", "minimize"],
            userAttrs: {},
            systemAttrs: {},
            nTrials: 1,
          },
        ]);
        const sa = all.find((s) => s.name === a)!;
        expect(sa.datetimeStart).toBeInstanceOf(Date);
      });

      it("stores study user and system attributes (JSON values, separate namespaces)", async () => {
        const { storage, studyId } = await withStudy();
        const values: Record<string, JsonValue> = {
          str: "me",
          num: 1.5,
          int: 3,
          neg: -2,
          t: true,
          f: false,
          nil: null,
          arr: [1, "a", null, [true]],
          obj: { a: { b: [1, 2] }, "key with spaces": "v" },
          empty: "",
          unicode: "日本語 😀",
        };
        for (const [k, v] of Object.entries(values)) await storage.setStudyUserAttr(studyId, k, v);
        await storage.setStudySystemAttr(studyId, "str", "system");
        await storage.setStudySystemAttr(studyId, "spax:space", { kind: "config" });
        const s = await storage.getStudy(studyId);
        expect(s.userAttrs).toEqual(values);
        expect(s.systemAttrs).toEqual({ str: "system", "spax:space": { kind: "config" } });
      });

      it("overwrites an attribute", async () => {
        const { storage, studyId } = await withStudy();
        await storage.setStudyUserAttr(studyId, "k", 1);
        await storage.setStudyUserAttr(studyId, "k", { now: "object" });
        await storage.setStudySystemAttr(studyId, "s", [1]);
        await storage.setStudySystemAttr(studyId, "s", null);
        const s = await storage.getStudy(studyId);
        expect(s.userAttrs).toEqual({ k: { now: "object" } });
        expect(s.systemAttrs).toEqual({ s: null });
      });

      it("deletes a study with its trials; the name can be used again", async () => {
        const { storage, studyId, name: n } = await withStudy();
        const other = await storage.createStudy(uniqueName("other"), ["minimize"]);
        const t = await storage.createTrial(studyId);
        const kept = await storage.createTrial(other);
        await storage.deleteStudy(studyId);
        expect(await storage.getStudyId(n)).toBeUndefined();
        await expectRejects(storage.getStudy(studyId), NotFoundError);
        await expectRejects(storage.getAllTrials(studyId), NotFoundError);
        await expectRejects(storage.createTrial(studyId), NotFoundError);
        await expectRejects(storage.getTrial(t.trialId), NotFoundError);
        await expectRejects(storage.setTrialUserAttr(t.trialId, "k", 1), NotFoundError);
        expect((await storage.getAllStudies()).some((s) => s.name === n)).toBe(false);
        // The other study is untouched.
        expect((await storage.getTrial(kept.trialId)).number).toBe(0);
        expect((await storage.getStudy(other)).nTrials).toBe(1);
        // Reusing the name makes a new, empty study.
        const again = await storage.createStudy(n, ["maximize"]);
        expect((await storage.getStudy(again)).nTrials).toBe(0);
        expect(await storage.getAllTrials(again)).toEqual([]);
      });

      it("unknown study ids are NotFoundErrors", async () => {
        const storage = await open();
        await expectRejects(storage.getStudy(UNKNOWN_ID), NotFoundError);
        await expectRejects(storage.deleteStudy(UNKNOWN_ID), NotFoundError);
        await expectRejects(storage.setStudyUserAttr(UNKNOWN_ID, "k", 1), NotFoundError);
        await expectRejects(storage.setStudySystemAttr(UNKNOWN_ID, "k", 1), NotFoundError);
        await expectRejects(storage.createTrial(UNKNOWN_ID), NotFoundError);
        await expectRejects(storage.popWaitingTrial(UNKNOWN_ID), NotFoundError);
        await expectRejects(storage.getAllTrials(UNKNOWN_ID), NotFoundError);
        await expectRejects(storage.getStudy(-1), NotFoundError);
      });

      it("a study summary is a snapshot", async () => {
        const { storage, studyId } = await withStudy();
        await storage.setStudyUserAttr(studyId, "obj", { a: 1 });
        const before = await storage.getStudy(studyId);
        const copy = plainStudy(before);
        await storage.setStudyUserAttr(studyId, "obj", { a: 2 });
        await storage.setStudyUserAttr(studyId, "new", true);
        await storage.setStudySystemAttr(studyId, "sys", 1);
        await storage.createTrial(studyId);
        expect(plainStudy(before)).toEqual(copy);
        // Mutating a summary changes nothing stored.
        const s = await storage.getStudy(studyId);
        tryMutate(() => {
          (s.userAttrs as any).obj.a = 99;
        });
        tryMutate(() => {
          (s.userAttrs as any).injected = 1;
        });
        tryMutate(() => {
          (s.directions as any).push("maximize");
        });
        const again = await storage.getStudy(studyId);
        expect(again.userAttrs).toEqual({ obj: { a: 2 }, new: true });
        expect(again.directions).toEqual(["minimize"]);
      });

      it("an attribute value mutated after it was set changes nothing stored", async () => {
        const { storage, studyId } = await withStudy();
        const value = { list: [1, 2] };
        await storage.setStudyUserAttr(studyId, "v", value);
        value.list.push(3);
        expect((await storage.getStudy(studyId)).userAttrs).toEqual({ v: { list: [1, 2] } });
      });
    });

    // ---- trials ---------------------------------------------------------------------------

    describe("trial creation and numbering", () => {
      it("a new trial is RUNNING with number 0 and nothing else", async () => {
        const { storage, studyId } = await withStudy();
        const before = Date.now();
        const t = await storage.createTrial(studyId);
        expect(t.state).toBe("RUNNING");
        expect(t.number).toBe(0);
        expect(Number.isInteger(t.trialId)).toBe(true);
        expect(t.values).toBeUndefined();
        expect(t.params).toEqual({});
        expect(t.distributions).toEqual({});
        expect(t.userAttrs).toEqual({});
        expect(t.systemAttrs).toEqual({});
        expect(t.intermediateValues.size).toBe(0);
        expect(t.datetimeStart).toBeInstanceOf(Date);
        expect(t.datetimeStart!.getTime()).toBeGreaterThanOrEqual(before - 1000);
        expect(t.datetimeComplete).toBeUndefined();
        expect(plain(await storage.getTrial(t.trialId))).toEqual(plain(t));
      });

      it("numbers trials 0, 1, 2, … per study; trial ids are unique across studies", async () => {
        const { storage, studyId } = await withStudy();
        const other = await storage.createStudy(uniqueName("other"), ["minimize"]);
        const made: FrozenTrial[] = [];
        const madeOther: FrozenTrial[] = [];
        for (let i = 0; i < 5; i++) {
          made.push(await storage.createTrial(studyId));
          madeOther.push(await storage.createTrial(other));
        }
        expect(made.map((t) => t.number)).toEqual([0, 1, 2, 3, 4]);
        expect(madeOther.map((t) => t.number)).toEqual([0, 1, 2, 3, 4]);
        const ids = [...made, ...madeOther].map((t) => t.trialId);
        expect(new Set(ids).size).toBe(10);
        expect((await storage.getAllTrials(studyId)).map((t) => t.trialId)).toEqual(
          made.map((t) => t.trialId),
        );
      });

      it("50 concurrent createTrial calls get numbers 0..49, gap-free and unique", async () => {
        const { storage, studyId } = await withStudy();
        const made = await Promise.all(
          Array.from({ length: 50 }, () => storage.createTrial(studyId)),
        );
        expect(made.map((t) => t.number).sort((a, b) => a - b)).toEqual(
          Array.from({ length: 50 }, (_, i) => i),
        );
        expect(new Set(made.map((t) => t.trialId)).size).toBe(50);
        const all = await storage.getAllTrials(studyId);
        expect(all.map((t) => t.number)).toEqual(Array.from({ length: 50 }, (_, i) => i));
        expect((await storage.getStudy(studyId)).nTrials).toBe(50);
      });

      it("concurrent creates in two studies keep each study's numbering gap-free", async () => {
        const { storage, studyId } = await withStudy();
        const other = await storage.createStudy(uniqueName("other"), ["minimize"]);
        await Promise.all(
          Array.from({ length: 40 }, (_, i) => storage.createTrial(i % 2 ? studyId : other)),
        );
        for (const id of [studyId, other]) {
          expect((await storage.getAllTrials(id)).map((t) => t.number)).toEqual(
            Array.from({ length: 20 }, (_, i) => i),
          );
        }
      });

      it("creates a WAITING trial from a template (no start time)", async () => {
        const { storage, studyId } = await withStudy();
        const t = await storage.createTrial(studyId, {
          state: "WAITING",
          systemAttrs: { fixed_params: { x: 1.5, c: "a" } },
          userAttrs: { note: "queued" },
        });
        expect(t.state).toBe("WAITING");
        expect(t.datetimeStart).toBeUndefined();
        expect(t.datetimeComplete).toBeUndefined();
        const back = await storage.getTrial(t.trialId);
        expect(back.systemAttrs).toEqual({ fixed_params: { x: 1.5, c: "a" } });
        expect(back.userAttrs).toEqual({ note: "queued" });
      });

      it("creates a finished trial from a template (addTrial), frozen at once", async () => {
        const { storage, studyId } = await withStudy();
        const x = new FloatDistribution(0, 1);
        const c = new CategoricalDistribution([1, "1", true, null]);
        const t = await storage.createTrial(studyId, {
          state: "COMPLETE",
          values: [0.25],
          params: { x: 0.5, c: true },
          distributions: { x, c },
          intermediateValues: new Map([
            [0, 1],
            [5, 0.5],
          ]),
          userAttrs: { u: 1 },
          systemAttrs: { s: "x" },
        });
        const back = plain(await storage.getTrial(t.trialId));
        expect(back).toMatchObject({
          number: 0,
          state: "COMPLETE",
          values: [0.25],
          params: { x: 0.5, c: true },
          distributions: { x: distributionToJSON(x), c: distributionToJSON(c) },
          userAttrs: { u: 1 },
          systemAttrs: { s: "x" },
          intermediateValues: [
            [0, 1],
            [5, 0.5],
          ],
        });
        expect(back.datetimeComplete).toBeTypeOf("number");
        await expectRejects(storage.setTrialUserAttr(t.trialId, "k", 1), TrialFinishedError);
      });

      it("a template mutated after createTrial changes nothing stored", async () => {
        const { storage, studyId } = await withStudy();
        const fixed = { x: 1, nested: { y: [1, 2] } };
        const systemAttrs: Record<string, JsonValue> = { fixed_params: fixed };
        const userAttrs: Record<string, JsonValue> = { u: [1] };
        const intermediateValues = new Map([[0, 1]]);
        const t = await storage.createTrial(studyId, {
          state: "WAITING",
          systemAttrs,
          userAttrs,
          intermediateValues,
        });
        fixed.x = 2;
        fixed.nested.y.push(3);
        systemAttrs.extra = true;
        (userAttrs.u as number[]).push(2);
        intermediateValues.set(1, 2);
        const back = await storage.getTrial(t.trialId);
        expect(back.systemAttrs).toEqual({ fixed_params: { x: 1, nested: { y: [1, 2] } } });
        expect(back.userAttrs).toEqual({ u: [1] });
        expect([...back.intermediateValues]).toEqual([[0, 1]]);
      });
    });

    describe("params", () => {
      it("stores floats, ints and categoricals and reads back user values", async () => {
        const { storage, studyId } = await withStudy();
        const t = await storage.createTrial(studyId);
        const f = new FloatDistribution(-10, 10);
        const lg = new FloatDistribution(1e-5, 0.1, { log: true });
        const st = new FloatDistribution(0, 1, { step: 0.25 });
        const i = new IntDistribution(1, 9, { step: 2 });
        const il = new IntDistribution(1, 1024, { log: true });
        await storage.setTrialParam(t.trialId, "f", -3.75, f);
        await storage.setTrialParam(t.trialId, "lg", 0.001234, lg);
        await storage.setTrialParam(t.trialId, "st", 0.75, st);
        await storage.setTrialParam(t.trialId, "i", 7, i);
        await storage.setTrialParam(t.trialId, "il", 512, il);
        const back = await storage.getTrial(t.trialId);
        expect(back.params).toStrictEqual({ f: -3.75, lg: 0.001234, st: 0.75, i: 7, il: 512 });
        expect(Object.keys(back.distributions).sort()).toEqual(["f", "i", "il", "lg", "st"]);
        for (const [k, d] of Object.entries({ f, lg, st, i, il })) {
          expect(back.distributions[k]!.kind).toBe(d.kind);
          expect(distributionToJSON(back.distributions[k]!)).toBe(distributionToJSON(d));
        }
      });

      it("categoricals are stored by index and read back as the real choice with its type", async () => {
        const { storage, studyId } = await withStudy();
        const choices = [1, "1", true, null, 0, "", false, 2.5, "a"] as const;
        const d = new CategoricalDistribution(choices);
        const t = await storage.createTrial(studyId);
        for (let k = 0; k < choices.length; k++) {
          await storage.setTrialParam(t.trialId, `c${k}`, d.toInternal(choices[k]), d);
        }
        const back = await storage.getTrial(t.trialId);
        for (let k = 0; k < choices.length; k++) {
          expect(back.params[`c${k}`], `choice ${k}`).toBe(choices[k]);
        }
        const all = await storage.getAllTrials(studyId);
        expect(all[0]!.params.c0).toBe(1);
        expect(all[0]!.params.c1).toBe("1");
        expect(all[0]!.params.c2).toBe(true);
        expect(all[0]!.params.c3).toBe(null);
        expect((all[0]!.distributions.c0 as CategoricalDistribution).choices).toStrictEqual([
          ...choices,
        ]);
      });

      it("int params come back as integers (stored as floats)", async () => {
        const { storage, studyId } = await withStudy();
        const t = await storage.createTrial(studyId);
        await storage.setTrialParam(t.trialId, "n", 5, new IntDistribution(0, 10));
        const n = (await storage.getTrial(t.trialId)).params.n;
        expect(n).toBe(5);
        expect(Number.isInteger(n)).toBe(true);
      });

      it("params of WAITING trials can be set too", async () => {
        const { storage, studyId } = await withStudy();
        const t = await storage.createTrial(studyId, { state: "WAITING" });
        await storage.setTrialParam(t.trialId, "x", 0.5, new FloatDistribution(0, 1));
        expect((await storage.getTrial(t.trialId)).params).toEqual({ x: 0.5 });
      });
    });

    describe("values, intermediate values and attributes", () => {
      it("stores intermediate values by step, including NaN and ±Infinity", async () => {
        const { storage, studyId } = await withStudy();
        const t = await storage.createTrial(studyId);
        await storage.setTrialIntermediateValue(t.trialId, 3, -2);
        await storage.setTrialIntermediateValue(t.trialId, 0, 1.5);
        await storage.setTrialIntermediateValue(t.trialId, 1, Number.POSITIVE_INFINITY);
        await storage.setTrialIntermediateValue(t.trialId, 2, Number.NEGATIVE_INFINITY);
        await storage.setTrialIntermediateValue(t.trialId, 10, Number.NaN);
        const iv = (await storage.getTrial(t.trialId)).intermediateValues;
        expect(iv.size).toBe(5);
        expect(iv.get(0)).toBe(1.5);
        expect(iv.get(1)).toBe(Number.POSITIVE_INFINITY);
        expect(iv.get(2)).toBe(Number.NEGATIVE_INFINITY);
        expect(iv.get(3)).toBe(-2);
        expect(iv.get(10)).toBeNaN();
      });

      it("a second value for a step replaces the first (as Optuna's storages do)", async () => {
        const { storage, studyId } = await withStudy();
        const t = await storage.createTrial(studyId);
        await storage.setTrialIntermediateValue(t.trialId, 0, 1);
        await storage.setTrialIntermediateValue(t.trialId, 0, 2);
        expect([...(await storage.getTrial(t.trialId)).intermediateValues]).toEqual([[0, 2]]);
      });

      it("stores trial user and system attributes", async () => {
        const { storage, studyId } = await withStudy();
        const t = await storage.createTrial(studyId);
        await storage.setTrialUserAttr(t.trialId, "s", "me");
        await storage.setTrialUserAttr(t.trialId, "o", { a: [1, { b: null }] });
        await storage.setTrialUserAttr(t.trialId, "s", "again");
        await storage.setTrialSystemAttr(t.trialId, "s", 42);
        await storage.setTrialSystemAttr(t.trialId, "fail_reason", "boom");
        const back = await storage.getTrial(t.trialId);
        expect(back.userAttrs).toEqual({ s: "again", o: { a: [1, { b: null }] } });
        expect(back.systemAttrs).toEqual({ s: 42, fail_reason: "boom" });
      });

      it("an attribute value mutated after it was set changes nothing stored", async () => {
        const { storage, studyId } = await withStudy();
        const t = await storage.createTrial(studyId);
        const value = { list: [1] };
        await storage.setTrialUserAttr(t.trialId, "v", value);
        await storage.setTrialSystemAttr(t.trialId, "v", value);
        value.list.push(2);
        const back = await storage.getTrial(t.trialId);
        expect(back.userAttrs).toEqual({ v: { list: [1] } });
        expect(back.systemAttrs).toEqual({ v: { list: [1] } });
      });
    });

    describe("state transitions", () => {
      it("RUNNING → COMPLETE with values sets the completion time", async () => {
        const { storage, studyId } = await withStudy();
        const t = await storage.createTrial(studyId);
        expect(await storage.setTrialState(t.trialId, "COMPLETE", [1.5])).toBe(true);
        const back = await storage.getTrial(t.trialId);
        expect(back.state).toBe("COMPLETE");
        expect(back.values).toEqual([1.5]);
        expect(back.datetimeComplete).toBeInstanceOf(Date);
        expect(back.datetimeComplete!.getTime()).toBeGreaterThanOrEqual(
          back.datetimeStart!.getTime(),
        );
        expect(back.datetimeStart!.getTime()).toBe(t.datetimeStart!.getTime());
      });

      it("keeps ±Infinity and several objective values", async () => {
        const { storage, studyId } = await withStudy(["minimize", "maximize", "minimize"]);
        const a = await storage.createTrial(studyId);
        const b = await storage.createTrial(studyId);
        await storage.setTrialState(a.trialId, "COMPLETE", [
          Number.NEGATIVE_INFINITY,
          Number.POSITIVE_INFINITY,
          0,
        ]);
        await storage.setTrialState(b.trialId, "COMPLETE", [-1e-300, 1e300, -0.5]);
        expect((await storage.getTrial(a.trialId)).values).toEqual([
          Number.NEGATIVE_INFINITY,
          Number.POSITIVE_INFINITY,
          0,
        ]);
        expect((await storage.getTrial(b.trialId)).values).toEqual([-1e-300, 1e300, -0.5]);
      });

      it("RUNNING → PRUNED with a value, RUNNING → FAIL without", async () => {
        const { storage, studyId } = await withStudy();
        const p = await storage.createTrial(studyId);
        const f = await storage.createTrial(studyId);
        expect(await storage.setTrialState(p.trialId, "PRUNED", [0.7])).toBe(true);
        expect(await storage.setTrialState(f.trialId, "FAIL")).toBe(true);
        const pb = await storage.getTrial(p.trialId);
        const fb = await storage.getTrial(f.trialId);
        expect([pb.state, pb.values]).toEqual(["PRUNED", [0.7]]);
        expect([fb.state, fb.values]).toEqual(["FAIL", undefined]);
        expect(fb.datetimeComplete).toBeInstanceOf(Date);
      });

      it("WAITING → RUNNING returns true and sets the start time", async () => {
        const { storage, studyId } = await withStudy();
        const w = await storage.createTrial(studyId, { state: "WAITING" });
        expect(await storage.setTrialState(w.trialId, "RUNNING")).toBe(true);
        const back = await storage.getTrial(w.trialId);
        expect(back.state).toBe("RUNNING");
        expect(back.datetimeStart).toBeInstanceOf(Date);
      });

      it("RUNNING requested for a trial that is not WAITING returns false and changes nothing", async () => {
        const { storage, studyId } = await withStudy();
        const t = await storage.createTrial(studyId);
        await storage.setTrialUserAttr(t.trialId, "k", 1);
        const before = plain(await storage.getTrial(t.trialId));
        await new Promise((r) => setTimeout(r, 5));
        expect(await storage.setTrialState(t.trialId, "RUNNING")).toBe(false);
        expect(plain(await storage.getTrial(t.trialId))).toEqual(before);
        // A popped (formerly WAITING) trial cannot be taken a second time either.
        const w = await storage.createTrial(studyId, { state: "WAITING" });
        expect(await storage.setTrialState(w.trialId, "RUNNING")).toBe(true);
        expect(await storage.setTrialState(w.trialId, "RUNNING")).toBe(false);
      });

      it("filters trials by state, in number order", async () => {
        const { storage, studyId } = await withStudy();
        const states: TrialState[] = [
          "COMPLETE",
          "FAIL",
          "RUNNING",
          "PRUNED",
          "COMPLETE",
          "WAITING",
        ];
        for (const s of states) {
          const t = await storage.createTrial(studyId, s === "WAITING" ? { state: s } : {});
          if (s !== "RUNNING" && s !== "WAITING")
            await storage.setTrialState(t.trialId, s, s === "FAIL" ? undefined : [t.number]);
        }
        const pick = async (ss?: TrialState[]) =>
          (await storage.getAllTrials(studyId, ss)).map((t) => t.number);
        expect(await pick()).toEqual([0, 1, 2, 3, 4, 5]);
        expect(await pick(["COMPLETE"])).toEqual([0, 4]);
        expect(await pick(["FAIL", "PRUNED"])).toEqual([1, 3]);
        expect(await pick(["RUNNING", "WAITING"])).toEqual([2, 5]);
        expect(await pick([])).toEqual([]);
      });
    });

    describe("a finished trial is frozen", () => {
      for (const finished of ["COMPLETE", "PRUNED", "FAIL"] as const) {
        it(`${finished}: every mutation is a TrialFinishedError and nothing changes`, async () => {
          const { storage, studyId } = await withStudy();
          const t = await storage.createTrial(studyId);
          const d = new FloatDistribution(0, 1);
          await storage.setTrialParam(t.trialId, "x", 0.5, d);
          await storage.setTrialIntermediateValue(t.trialId, 0, 1);
          await storage.setTrialState(t.trialId, finished, finished === "FAIL" ? undefined : [0.5]);
          const before = plain(await storage.getTrial(t.trialId));
          const id = t.trialId;
          const attempts: [string, () => Promise<unknown>][] = [
            ["setTrialState COMPLETE", () => storage.setTrialState(id, "COMPLETE", [1])],
            ["setTrialState FAIL", () => storage.setTrialState(id, "FAIL")],
            ["setTrialState PRUNED", () => storage.setTrialState(id, "PRUNED")],
            ["setTrialState RUNNING", () => storage.setTrialState(id, "RUNNING")],
            ["setTrialState WAITING", () => storage.setTrialState(id, "WAITING")],
            ["setTrialParam (new)", () => storage.setTrialParam(id, "y", 0.1, d)],
            ["setTrialParam (same)", () => storage.setTrialParam(id, "x", 0.2, d)],
            ["setTrialIntermediateValue", () => storage.setTrialIntermediateValue(id, 1, 2)],
            ["setTrialUserAttr", () => storage.setTrialUserAttr(id, "k", 1)],
            ["setTrialSystemAttr", () => storage.setTrialSystemAttr(id, "k", 1)],
          ];
          for (const [what, attempt] of attempts) {
            const error = await rejection(attempt());
            expect(error, what).toBeInstanceOf(TrialFinishedError);
          }
          expect(plain(await storage.getTrial(id))).toEqual(before);
        });
      }
    });

    describe("the queue: popWaitingTrial", () => {
      it("returns undefined when nothing waits", async () => {
        const { storage, studyId } = await withStudy();
        await storage.createTrial(studyId);
        expect(await storage.popWaitingTrial(studyId)).toBeUndefined();
      });

      it("takes the oldest WAITING trial and makes it RUNNING, keeping its attributes", async () => {
        const { storage, studyId } = await withStudy();
        await storage.createTrial(studyId);
        const w1 = await storage.createTrial(studyId, {
          state: "WAITING",
          systemAttrs: { fixed_params: { x: 1 } },
        });
        const w2 = await storage.createTrial(studyId, {
          state: "WAITING",
          systemAttrs: { fixed_params: { x: 2 } },
        });
        const a = await storage.popWaitingTrial(studyId);
        expect(a?.trialId).toBe(w1.trialId);
        expect(a?.number).toBe(1);
        expect(a?.state).toBe("RUNNING");
        expect(a?.datetimeStart).toBeInstanceOf(Date);
        expect(a?.systemAttrs).toEqual({ fixed_params: { x: 1 } });
        expect((await storage.getTrial(w1.trialId)).state).toBe("RUNNING");
        const b = await storage.popWaitingTrial(studyId);
        expect(b?.trialId).toBe(w2.trialId);
        expect(await storage.popWaitingTrial(studyId)).toBeUndefined();
      });

      it("does not pop another study's trials", async () => {
        const { storage, studyId } = await withStudy();
        const other = await storage.createStudy(uniqueName("other"), ["minimize"]);
        await storage.createTrial(other, { state: "WAITING" });
        expect(await storage.popWaitingTrial(studyId)).toBeUndefined();
        expect((await storage.popWaitingTrial(other))?.state).toBe("RUNNING");
      });

      it("hands each WAITING trial to exactly one of many concurrent callers", async () => {
        const { storage, studyId } = await withStudy();
        const waiting: FrozenTrial[] = [];
        for (let i = 0; i < 20; i++) {
          if (i % 4 === 0) await storage.createTrial(studyId); // running ones in between
          waiting.push(await storage.createTrial(studyId, { state: "WAITING" }));
        }
        const popped = await Promise.all(
          Array.from({ length: 50 }, () => storage.popWaitingTrial(studyId)),
        );
        const got = popped.filter((t): t is FrozenTrial => t !== undefined);
        expect(got).toHaveLength(20);
        expect(got.map((t) => t.trialId).sort((a, b) => a - b)).toEqual(
          waiting.map((t) => t.trialId).sort((a, b) => a - b),
        );
        expect(got.every((t) => t.state === "RUNNING")).toBe(true);
        expect(await storage.getAllTrials(studyId, ["WAITING"])).toEqual([]);
      });

      it("concurrent pops and creates do not lose or duplicate trials", async () => {
        const { storage, studyId } = await withStudy();
        for (let i = 0; i < 10; i++) await storage.createTrial(studyId, { state: "WAITING" });
        const ops = await Promise.all(
          Array.from({ length: 30 }, (_, i) =>
            i % 2 ? storage.popWaitingTrial(studyId) : storage.createTrial(studyId),
          ),
        );
        const poppedIds = ops
          .filter((t, i) => i % 2 === 1 && t !== undefined)
          .map((t) => t!.trialId);
        expect(new Set(poppedIds).size).toBe(poppedIds.length);
        expect(poppedIds).toHaveLength(10);
        const all = await storage.getAllTrials(studyId);
        expect(all.map((t) => t.number)).toEqual(Array.from({ length: 25 }, (_, i) => i));
      });
    });

    describe("snapshots", () => {
      it("a trial snapshot is not affected by later changes", async () => {
        const { storage, studyId } = await withStudy();
        const t = await storage.createTrial(studyId);
        await storage.setTrialParam(t.trialId, "x", 0.5, new FloatDistribution(0, 1));
        await storage.setTrialIntermediateValue(t.trialId, 0, 1);
        await storage.setTrialUserAttr(t.trialId, "u", { a: 1 });
        const snap = await storage.getTrial(t.trialId);
        const [listed] = await storage.getAllTrials(studyId);
        const copy = plain(snap);
        await storage.setTrialParam(t.trialId, "y", 2, new IntDistribution(0, 5));
        await storage.setTrialIntermediateValue(t.trialId, 1, 2);
        await storage.setTrialUserAttr(t.trialId, "u", { a: 2 });
        await storage.setTrialSystemAttr(t.trialId, "s", 1);
        await storage.setTrialState(t.trialId, "COMPLETE", [3]);
        expect(plain(snap)).toEqual(copy);
        expect(plain(listed!)).toEqual(copy);
        expect(plain(t).params).toEqual({});
      });

      it("mutating a snapshot changes nothing stored", async () => {
        const { storage, studyId } = await withStudy();
        const t = await storage.createTrial(studyId);
        await storage.setTrialParam(t.trialId, "x", 0.5, new FloatDistribution(0, 1));
        await storage.setTrialIntermediateValue(t.trialId, 0, 1);
        await storage.setTrialUserAttr(t.trialId, "u", { a: [1] });
        await storage.setTrialSystemAttr(t.trialId, "s", { b: 1 });
        const before = plain(await storage.getTrial(t.trialId));
        for (const snap of [
          await storage.getTrial(t.trialId),
          ...(await storage.getAllTrials(studyId)),
        ]) {
          tryMutate(() => {
            (snap as any).state = "COMPLETE";
          });
          tryMutate(() => {
            (snap as any).number = 99;
          });
          tryMutate(() => {
            (snap.params as any).x = 0.9;
          });
          tryMutate(() => {
            (snap.params as any).injected = 1;
          });
          tryMutate(() => {
            (snap.userAttrs as any).u.a.push(2);
          });
          tryMutate(() => {
            (snap.systemAttrs as any).s.b = 2;
          });
          tryMutate(() => {
            (snap.intermediateValues as Map<number, number>).set(7, 7);
          });
          tryMutate(() => {
            (snap.intermediateValues as Map<number, number>).set(0, -1);
          });
          tryMutate(() => {
            delete (snap.distributions as any).x;
          });
        }
        expect(plain(await storage.getTrial(t.trialId))).toEqual(before);
        expect(plain((await storage.getAllTrials(studyId))[0]!)).toEqual(before);
      });

      it("mutating a popped trial changes nothing stored", async () => {
        const { storage, studyId } = await withStudy();
        await storage.createTrial(studyId, {
          state: "WAITING",
          systemAttrs: { fixed_params: { x: 1 } },
        });
        const popped = (await storage.popWaitingTrial(studyId))!;
        tryMutate(() => {
          (popped.systemAttrs as any).fixed_params.x = 2;
        });
        tryMutate(() => {
          (popped.intermediateValues as Map<number, number>).set(0, 1);
        });
        const back = await storage.getTrial(popped.trialId);
        expect(back.systemAttrs).toEqual({ fixed_params: { x: 1 } });
        expect(back.intermediateValues.size).toBe(0);
      });
    });

    describe("unknown trial ids", () => {
      it("every trial method throws NotFoundError", async () => {
        const { storage } = await withStudy();
        const d: Distribution = new FloatDistribution(0, 1);
        for (const id of [UNKNOWN_ID, -1]) {
          await expectRejects(storage.getTrial(id), NotFoundError);
          await expectRejects(storage.setTrialParam(id, "x", 0.5, d), NotFoundError);
          await expectRejects(storage.setTrialState(id, "COMPLETE", [1]), NotFoundError);
          await expectRejects(storage.setTrialState(id, "RUNNING"), NotFoundError);
          await expectRejects(storage.setTrialIntermediateValue(id, 0, 1), NotFoundError);
          await expectRejects(storage.setTrialUserAttr(id, "k", 1), NotFoundError);
          await expectRejects(storage.setTrialSystemAttr(id, "k", 1), NotFoundError);
        }
      });
    });

    it("close() resolves", async () => {
      const storage = await factory.create();
      await expect(storage.close()).resolves.toBeUndefined();
    });
  });
}
