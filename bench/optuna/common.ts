/**
 * Shared pieces of the optuna-bench runners: where the reference harness lives, argument
 * parsing, statistics as the Python side computes them, and environment facts.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** `../shared/` next to the repository, or wherever SPAX_SHARED points. */
export function sharedDir(): string {
  if (process.env.SPAX_SHARED) return process.env.SPAX_SHARED;
  return fileURLToPath(new URL("../../../shared/", import.meta.url));
}

/** The read-only reference harness (`reference/optuna-bench`). */
export function referenceBench(): string {
  return join(sharedDir(), "reference", "optuna-bench");
}

/** Copies the reference harness to a fresh temporary directory (it is read-only in place). */
export function copyBench(): string {
  const src = referenceBench();
  if (!existsSync(join(src, "problems.json"))) {
    throw new Error(`optuna-bench not found at ${src}; set SPAX_SHARED to the shared folder`);
  }
  const dir = mkdtempSync(join(tmpdir(), "spax-optuna-bench-"));
  cpSync(src, dir, { recursive: true });
  return dir;
}

/** `--name value` pairs (and bare `--flag`s as "true"). Unknown flags are kept, not rejected. */
export function parseArgs(argv: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith("--")) continue;
    const eq = a.indexOf("=");
    if (eq > 0) {
      out.set(a.slice(2, eq), a.slice(eq + 1));
    } else if (i + 1 < argv.length && !argv[i + 1]!.startsWith("--")) {
      out.set(a.slice(2), argv[++i]!);
    } else {
      out.set(a.slice(2), "true");
    }
  }
  return out;
}

/** Linear-interpolation quantile (numpy's default), as `common.py`. */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

export const median = (xs: readonly number[]) => quantile(xs, 0.5);

/** A number as `common.py`'s `fmt` prints it. */
export function fmt(x: number | undefined, digits = 3): string {
  if (x === undefined || Number.isNaN(x)) return "–";
  if (x === 0) return "0";
  const ax = Math.abs(x);
  if (ax >= 1000 || ax < 1e-3) return x.toExponential(Math.max(digits - 1, 1));
  return String(Number(x.toPrecision(digits)));
}

/** A Markdown table. */
export function mdTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `| ${header.join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}

/** spax's package version. */
export function spaxVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
  return pkg.version as string;
}

/** Environment facts for `meta`. */
export function envInfo(): Record<string, unknown> {
  return {
    timestamp_utc: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    nproc: cpus().length,
    cpu_model: cpus()[0]?.model,
    node: process.version,
    platform: `${process.platform}/${process.arch}`,
    loadavg_at_start: loadavg(),
  };
}
