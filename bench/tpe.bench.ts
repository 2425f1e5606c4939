/**
 * TPE (and the other samplers) on the optuna-bench suite, next to Optuna 3.1:
 *
 * 1. copies `../shared/reference/optuna-bench` (read-only) to a temporary directory;
 * 2. runs Optuna's sampler-overhead part A there (`/usr/bin/python3 overhead.py --parts A`,
 *    prefill mode, checkpoints up to 1000, 10 and 50 params), measured in this run with nothing
 *    else running; without Optuna it says so and uses the stored `results/overhead.json`;
 * 3. runs spax's quality benchmark (problems.json, seeds 1–10, budgets 50/100/200);
 * 4. runs spax's overhead benchmark alone (checkpoints 100/500/1000/2000, 10 and 50 params);
 * 5. prints median regret next to Optuna's stored quality results (Optuna's runs are
 *    deterministic per seed, so they are not re-run) and sampler ms/trial with ratios.
 *
 * `BENCH_QUICK=1`: 3 seeds, budgets 50/100, checkpoints 100/200 for 10 params (about a minute).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { copyBench, fmt, mdTable, median, referenceBench } from "./optuna/common.js";
import { runOverhead } from "./optuna/overhead.js";
import { type QualityDoc, runQuality } from "./optuna/quality.js";

const PYTHON = "/usr/bin/python3";

interface OverheadDoc {
  impl: string;
  sampler_overhead: {
    sampler: string;
    n_params: number;
    mode: string;
    checkpoints: Record<string, { sampler_ms_per_trial: number; ms_per_trial: number }>;
  }[];
}

/** Optuna's part A as a child process; resolves to its result file, or why it is missing. */
function startOptunaOverhead(
  dir: string,
  quick: boolean,
): Promise<{ doc?: OverheadDoc; note: string; seconds: number }> {
  const probe = spawnSync(PYTHON, ["-c", "import optuna"], { encoding: "utf8" });
  if (probe.status !== 0) {
    return Promise.resolve({
      note: `${PYTHON} -c "import optuna" failed (${(probe.stderr || probe.error?.message || "").trim().split("\n").pop()}); Optuna was not measured in this run`,
      seconds: 0,
    });
  }
  const out = join(dir, "results", "same_run_overhead.json");
  const args = [
    "overhead.py",
    "--parts",
    "A",
    "--samplers",
    quick ? "tpe" : "random,tpe",
    "--dims",
    quick ? "10" : "10,50",
    "--checkpoints",
    quick ? "100,200" : "100,500,1000",
    "--repeats",
    "1",
    "--tpe-full-dims",
    "",
    "--tpe-prefill-dims",
    quick ? "10" : "10,50",
    "--tpe-full-once-dims",
    "",
    "--out",
    out,
  ];
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn(PYTHON, args, {
      cwd: dir,
      env: { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", PYTHONHASHSEED: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    child.stdout.on("data", (d) => {
      log += d;
    });
    child.stderr.on("data", (d) => {
      log += d;
    });
    child.on("close", (code) => {
      const seconds = (performance.now() - t0) / 1000;
      if (code === 0 && existsSync(out)) {
        resolve({
          doc: JSON.parse(readFileSync(out, "utf8")),
          note: `measured in this run: ${PYTHON} ${args.map((a) => (a === "" ? '""' : a)).join(" ")}`,
          seconds,
        });
      } else {
        resolve({
          note: `overhead.py failed (exit ${code}): ${log.trim().split("\n").slice(-3).join(" / ")}`,
          seconds,
        });
      }
    });
  });
}

type Summary = Map<string, number[]>;

function regrets(doc: { runs: QualityDoc["runs"] }): Summary {
  const out: Summary = new Map();
  for (const r of doc.runs) {
    for (const [b, v] of Object.entries(r.regret_at)) {
      const key = `${r.problem}|${r.sampler}|${b}`;
      if (!out.has(key)) out.set(key, []);
      out.get(key)!.push(v);
    }
  }
  return out;
}

function qualityTables(spax: QualityDoc, optuna: { runs: QualityDoc["runs"] }): string {
  const a = regrets(spax);
  const b = regrets(optuna);
  const med = (s: Summary, p: string, k: string, bud: number) => {
    const xs = s.get(`${p}|${k}|${bud}`);
    return xs ? median(xs) : undefined;
  };
  const problems = spax.config.problems as string[];
  const budgets = spax.config.budgets as number[];
  const samplers = spax.config.samplers as string[];
  const base = ["tpe", "tpe_mv", "random", "qmc"].filter((s) => samplers.includes(s));
  const out: string[] = [];
  for (const bud of budgets) {
    const header = ["problem"];
    for (const s of base) header.push(`${s} spax`, `${s} optuna`);
    header.push("tpe spax/optuna");
    const rows: string[][] = [];
    for (const p of problems) {
      const row = [p];
      for (const s of base) row.push(fmt(med(a, p, s, bud)), fmt(med(b, p, s, bud)));
      const x = med(a, p, "tpe", bud);
      const y = med(b, p, "tpe", bud);
      row.push(x !== undefined && y !== undefined && y !== 0 ? fmt(x / y, 2) : "–");
      rows.push(row);
      for (const v of ["tpe_dbr", "tpe_mv_dbr"]) {
        if (!samplers.includes(v) || med(a, p, v, bud) === undefined) continue;
        const r = [`${p} (${v.replace("_dbr", "")}, define-by-run)`];
        for (const s of base) {
          r.push(
            s === v.replace("_dbr", "") ? fmt(med(a, p, v, bud)) : "",
            s === v.replace("_dbr", "") ? fmt(med(b, p, s, bud)) : "",
          );
        }
        r.push("");
        rows.push(r);
      }
    }
    out.push(`\nMedian simple regret after ${bud} trials (lower is better):\n`);
    out.push(mdTable(header, rows));
  }
  // Targets.
  const lines: string[] = [];
  for (const bud of budgets.filter((x) => x === 100 || x === 200)) {
    for (const p of problems) {
      const x = med(a, p, "tpe", bud);
      const y = med(b, p, "tpe", bud);
      if (x === undefined || y === undefined) continue;
      const strict = p === "conditional";
      const ok = strict ? x < y : x <= y;
      lines.push(
        `${ok ? "met    " : "NOT met"} ${p} @${bud}: spax ${fmt(x)} ${strict ? "<" : "≤"} optuna ${fmt(y)}`,
      );
    }
  }
  if (lines.length > 0) {
    out.push("\nQuality target (spax TPE median ≤ Optuna TPE's at 100 and 200; < on conditional):");
    out.push(...lines.map((l) => `  ${l}`));
  }
  return out.join("\n");
}

function overheadTable(
  spax: OverheadDoc,
  sameRun: OverheadDoc | undefined,
  stored: OverheadDoc | undefined,
): string {
  const med = (doc: OverheadDoc | undefined, s: string, d: number, mode: string, n: string) => {
    if (!doc) return undefined;
    const xs = doc.sampler_overhead
      .filter((r) => r.sampler === s && r.n_params === d && r.mode === mode && r.checkpoints[n])
      .map((r) => r.checkpoints[n]!.sampler_ms_per_trial);
    return xs.length > 0 ? median(xs) : undefined;
  };
  const keys = [
    ...new Set(spax.sampler_overhead.map((r) => `${r.sampler}|${r.n_params}|${r.mode}`)),
  ];
  const cps = [...new Set(spax.sampler_overhead.flatMap((r) => Object.keys(r.checkpoints)))].sort(
    (x, y) => Number(x) - Number(y),
  );
  const rows: string[][] = [];
  let target = "";
  for (const key of keys) {
    const [s, dText, mode] = key.split("|") as [string, string, string];
    const d = Number(dText);
    const row = [s, dText, mode];
    for (const n of cps) {
      const x = med(spax, s, d, mode, n);
      let y = med(sameRun, s, d, mode, n);
      let mark = "";
      if (y === undefined) {
        y = med(stored, s, d, mode, n);
        mark = y === undefined ? "" : "*";
      }
      row.push(
        x === undefined
          ? "–"
          : y === undefined
            ? `${fmt(x)} / –`
            : `${fmt(x)} / ${fmt(y)}${mark} (${fmt(x / y, 2)})`,
      );
      if (s === "tpe" && d === 10 && n === "1000" && x !== undefined && y !== undefined) {
        target += `\n  ${x / y <= 0.05 ? "met    " : "NOT met"} tpe, 10 params, ${mode}, n=1000: spax ${fmt(x)} ms vs Optuna ${fmt(y)}${mark} ms = ${fmt(x / y, 2)} (target ≤ 0.05)`;
      }
    }
    rows.push(row);
  }
  return [
    "\nSampler time per trial, ms (mean over the last 100 trials before n; median over repeats):",
    "cells: spax / Optuna (spax ÷ Optuna); * = Optuna's stored results/overhead.json, not this run\n",
    mdTable(["sampler", "params", "mode", ...cps.map((n) => `n=${n}`)], rows),
    target ? `\nSpeed target (TPE at 1000 trials ≤ 1/20 of Optuna's):${target}` : "",
  ].join("\n");
}

/** Runs the whole comparison and prints its tables. */
export async function runTpeBench(): Promise<void> {
  const quick = process.env.BENCH_QUICK === "1";
  console.log(
    `\n## Samplers on the optuna-bench suite vs Optuna 3.1${quick ? " (BENCH_QUICK: a smoke run)" : ""}`,
  );
  const dir = copyBench();
  console.log(`harness copied to ${dir} (results in ${join(dir, "results")})`);
  // Optuna first, alone on the machine, so that its timings are not disturbed by spax's runs.
  const py = await startOptunaOverhead(dir, quick);
  console.log(
    py.doc
      ? `Optuna overhead part A: ${py.seconds.toFixed(0)} s`
      : `Optuna overhead part A: not measured — ${py.note}`,
  );

  const t0 = performance.now();
  const quality = await runQuality({
    dir,
    seeds: quick ? 3 : 10,
    budgets: quick ? [50, 100] : [50, 100, 200],
    dbrVariants: true,
  });
  mkdirSync(join(dir, "results", "ts"), { recursive: true });
  writeFileSync(
    join(dir, "results", "ts", "quality.json"),
    `${JSON.stringify(quality, null, 1)}\n`,
  );
  console.log(
    `spax quality: ${quality.runs.length} runs in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );

  const t1 = performance.now();
  const overhead = (await runOverhead({
    repeats: quick ? 1 : 3,
    checkpoints: quick ? [100, 200] : [100, 500, 1000, 2000],
    dims: quick ? [10] : [10, 50],
    samplers: ["random", "tpe"],
    modes: ["full", "prefill"],
  })) as unknown as OverheadDoc;
  writeFileSync(
    join(dir, "results", "ts", "overhead.json"),
    `${JSON.stringify(overhead, null, 1)}\n`,
  );
  console.log(`spax overhead: ${((performance.now() - t1) / 1000).toFixed(0)} s`);

  const storedQuality = JSON.parse(
    readFileSync(join(referenceBench(), "results", "quality.json"), "utf8"),
  );
  const storedOverhead = JSON.parse(
    readFileSync(join(referenceBench(), "results", "overhead.json"), "utf8"),
  ) as OverheadDoc;
  console.log(
    "\nOptuna's regrets: the stored results/quality.json (Optuna 3.1, seeds 1–10, in-memory; its runs are bit-identical for a seed, so they are not re-run).",
  );
  console.log(
    "spax: space-first studies (conditional: the known tree); `define-by-run` rows suggest as problems.py does.",
  );
  console.log(qualityTables(quality, storedQuality));
  if (!py.doc) {
    console.log(
      `\nOptuna was not measured in this run (${py.note}); the Optuna figures are the stored results/overhead.json.`,
    );
  } else {
    console.log(`\nOptuna overhead ${py.note}`);
  }
  console.log(overheadTable(overhead, py.doc, storedOverhead));
}
