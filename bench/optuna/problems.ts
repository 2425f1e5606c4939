/**
 * The optuna-bench problem suite on spax's side: the objectives come from the harness's own
 * JavaScript reference (`problems.mjs`, imported from the harness copy), the spaces from
 * `problems.json`. Each problem is run either define-by-run (suggesting exactly as
 * `problems.py` does) or space-first: translated to a spax config whose parameters are the
 * same and active under the same conditions — a parameter activated by `model == "mlp"` lives
 * in a config choice `mlp` of the categorical `model`; a further `gt` clause becomes a
 * conditional field (null when inactive). The objective gets the same params dict either way.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import * as sp from "../../src/index.js";

export interface ParamSpec {
  name: string;
  type: "float" | "int" | "categorical";
  low?: number;
  high?: number;
  log?: boolean;
  step?: number;
  choices?: sp.JsonValue[];
  when?: { param: string; op: "eq" | "gt"; value: sp.JsonValue }[];
}

export interface ProblemSpec {
  name: string;
  kind: "continuous" | "mixed" | "conditional";
  dim: number;
  params: ParamSpec[];
  optimum: { value: number };
}

export type Params = Record<string, sp.JsonValue>;

/** A problem ready to run. */
export interface Problem {
  spec: ProblemSpec;
  f: (params: Params) => number;
  /** The space-first form, or undefined when the `when` clauses do not fit the translation. */
  space: sp.ConfigSpace<string, any, any> | undefined;
  /** The params dict of a config of `space`. */
  paramsOf: (config: Record<string, unknown>) => Params;
}

/** Loads problems.json and the objectives of problems.mjs from the harness directory. */
export async function loadProblems(
  dir: string,
  problemsFile = "problems.json",
): Promise<Problem[]> {
  const mod = await import(pathToFileURL(join(dir, "problems.mjs")).href);
  const specPath = join(dir, problemsFile);
  const { readFileSync } = await import("node:fs");
  const spec = JSON.parse(readFileSync(specPath, "utf8")) as { problems: ProblemSpec[] };
  const funcs = mod.FUNCS as Record<string, (p: Params) => number>;
  return spec.problems.map((p) => {
    let space: sp.ConfigSpace<string, any, any> | undefined;
    try {
      space = toSpace(p);
    } catch {
      space = undefined;
    }
    return { spec: p, f: funcs[p.name]!, space, paramsOf };
  });
}

function numberSpace(p: ParamSpec): sp.AnySpace {
  const o = { ge: p.low!, le: p.high!, ...(p.log ? { log: true } : {}) };
  if (p.type === "int") return sp.int(p.step && p.step !== 1 ? { ...o, step: p.step } : o);
  return sp.float(p.step !== undefined ? { ...o, step: p.step } : o);
}

function leafSpace(p: ParamSpec): sp.AnySpace {
  return p.type === "categorical" ? sp.categorical(p.choices!) : numberSpace(p);
}

/** The space-first form of a problem (throws when its `when` clauses do not fit). */
export function toSpace(problem: ProblemSpec): sp.ConfigSpace<string, any, any> {
  const byName = new Map(problem.params.map((p) => [p.name, p]));
  // Clauses that always hold (`gt v` on a parameter whose low is above v) are dropped.
  const clauses = (p: ParamSpec) =>
    (p.when ?? []).filter((c) => {
      const q = byName.get(c.param);
      return !(c.op === "gt" && q?.low !== undefined && q.low > (c.value as number));
    });
  const root: Record<string, sp.AnySpace> = {};
  // Config choices: (categorical, value) → fields.
  const branches = new Map<string, Map<string, Record<string, sp.AnySpace>>>();
  for (const p of problem.params) {
    const when = clauses(p);
    if (when.length === 0) {
      root[p.name] = leafSpace(p);
      continue;
    }
    const [first, ...rest] = when;
    const parent = byName.get(first!.param);
    if (first!.op !== "eq" || parent?.type !== "categorical" || parent.when)
      throw new Error(`${problem.name}.${p.name}: unsupported condition`);
    let byValue = branches.get(parent.name);
    if (!byValue) {
      byValue = new Map();
      branches.set(parent.name, byValue);
    }
    const key = String(first!.value);
    let fields = byValue.get(key);
    if (!fields) {
      fields = {};
      byValue.set(key, fields);
    }
    let space = leafSpace(p);
    if (rest.length > 0) {
      const conds = rest.map((c) => {
        if (c.op !== "gt" || !(c.param in fields!))
          throw new Error(`${problem.name}.${p.name}: unsupported condition`);
        return sp.field(c.param).gt(c.value as number);
      });
      const cond = conds.length === 1 ? conds[0]! : sp.and(...conds);
      space = sp.conditional(cond, { true: space, false: null }) as unknown as sp.AnySpace;
    }
    fields[p.name] = space;
  }
  for (const [name, byValue] of branches) {
    const p = byName.get(name)!;
    root[name] = sp.categorical(
      p.choices!.map((c) => {
        const fields = byValue.get(String(c));
        return fields ? sp.config(String(c), fields as never) : c;
      }) as never,
    );
  }
  return sp.config(problem.name, root as never);
}

/** The params dict of a config: nested config choices give their name and their fields. */
export function paramsOf(config: Record<string, unknown>): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(config)) {
    if (k === "__type__" || v === null) continue;
    if (typeof v === "object" && !Array.isArray(v) && typeof (v as any).__type__ === "string") {
      out[k] = (v as any).__type__;
      Object.assign(out, paramsOf(v as Record<string, unknown>));
    } else {
      out[k] = v as sp.JsonValue;
    }
  }
  return out;
}

/** Suggests a problem's active parameters define-by-run, as `problems.py`'s `suggest`. */
export function suggestAll(trial: sp.Trial, problem: ProblemSpec): Params {
  const params: Params = {};
  for (const p of problem.params) {
    const active = (p.when ?? []).every((c) => {
      if (!(c.param in params)) return false;
      const v = params[c.param];
      return c.op === "eq" ? v === c.value : (v as number) > (c.value as number);
    });
    if (!active) continue;
    if (p.type === "float") {
      params[p.name] = trial.suggestFloat(p.name, p.low!, p.high!, { log: p.log ?? false });
    } else if (p.type === "int") {
      params[p.name] = trial.suggestInt(p.name, p.low!, p.high!, {
        step: p.step ?? 1,
        log: p.log ?? false,
      });
    } else {
      params[p.name] = trial.suggestCategorical(p.name, p.choices!);
    }
  }
  return params;
}
