/**
 * Sampling and validation throughput on the reference spaces, next to SpaX 0.2.0's figures
 * measured on this kind of machine (`../shared/reference/spax-python-bench.json`), as ratios.
 * Method as SpaX's: best of 3 runs; random = `random({ seed: i })` for i = 0, 1, 2, …;
 * parse = validating, in turn, 50 earlier samples given as plain data (nested configs carry
 * `__type__`, as SpaX's files do).
 */
import { existsSync, readFileSync } from "node:fs";
import { spaces } from "./spaces.js";

/**
 * `../shared/` next to the repository (as on the developers' and CI machines), or wherever
 * SPAX_SHARED points.
 */
const SHARED = process.env.SPAX_SHARED
  ? new URL(`file://${process.env.SPAX_SHARED.replace(/\/?$/, "/")}`)
  : new URL("../../shared/", import.meta.url);
const REFERENCE = new URL("reference/spax-python-bench.json", SHARED);
const TARGETS = {
  notebook6: { random: 10, parse: 50 },
  nested: { random: 10, parse: 50 },
  wide300: { random: 40, parse: 50 },
} as const;

interface SpaxFigures {
  random_per_s: number;
  validate_per_s: number;
}

function reference(): Record<string, SpaxFigures> | undefined {
  if (!existsSync(REFERENCE)) {
    console.log(
      `(SpaX's reference figures not found at ${REFERENCE.pathname}; set SPAX_SHARED to the shared folder)`,
    );
    return undefined;
  }
  return JSON.parse(readFileSync(REFERENCE, "utf8")).results;
}

/** Calls per second of `body(i)`, i = 0, 1, …, over about `ms` milliseconds; best of `runs`. */
export function rate(body: (i: number) => unknown, ms = 1000, runs = 3): number {
  let best = 0;
  let sink = 0;
  for (let r = 0; r < runs; r++) {
    let calls = 0;
    const start = performance.now();
    let now = start;
    while (now - start < ms) {
      for (let j = 0; j < 100; j++) if (body(calls + j) === sink) sink++;
      calls += 100;
      now = performance.now();
    }
    best = Math.max(best, calls / ((now - start) / 1000));
  }
  return best;
}

const fmt = (x: number) => Math.round(x).toLocaleString("en-US").padStart(12);
const ratio = (x: number) => `${x.toFixed(1)}×`.padStart(8);

export function runSpaceBench(): void {
  const ref = reference();
  console.log("\n## Space sampling and validation (configs/s; best of 3)\n");
  console.log("space       op       spax/s         SpaX/s    ratio   target");
  for (const [name, space] of Object.entries(spaces)) {
    const samples = Array.from({ length: 50 }, (_, i) =>
      JSON.parse(space.dump(space.random({ seed: 1000 + i }) as never)),
    );
    // Warm up the JIT on both paths before timing.
    rate((i) => space.random({ seed: i }), 200, 1);
    rate((i) => space.parse(samples[i % 50]), 200, 1);
    const random = rate((i) => space.random({ seed: i }));
    const parse = rate((i) => space.parse(samples[i % 50]));
    const target = TARGETS[name as keyof typeof TARGETS];
    const r = ref?.[name];
    for (const [op, value, spaxPy, goal] of [
      ["random", random, r?.random_per_s, target.random],
      ["parse ", parse, r?.validate_per_s, target.parse],
    ] as const) {
      const shown = spaxPy
        ? `${fmt(spaxPy)} ${ratio(value / spaxPy)}`
        : `${"n/a".padStart(12)} ${"".padStart(8)}`;
      const verdict = spaxPy ? (value / spaxPy >= goal ? "ok" : "BELOW") : "";
      console.log(`${name.padEnd(11)} ${op}  ${fmt(value)} ${shown}   ≥${goal}× ${verdict}`);
    }
  }
}
