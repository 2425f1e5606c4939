/**
 * Throughput of the CPython-compatible Mersenne Twister. Run: `npx tsx bench/rng.bench.ts`.
 *
 * "seeds/s" mirrors spax's sampling benchmark, which seeds a fresh generator per config
 * (`random({ seed: i })`): construct `new PyRandom(i)` and draw ten `random()` values.
 */
import { PyRandom } from "../src/sample/mt19937.js";

/** Runs `body(i)` for i = 0.. until `ms` milliseconds have passed; returns calls/s. */
function rate(ms: number, batch: number, body: (i: number) => number): number {
  let sink = 0;
  let calls = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let j = 0; j < batch; j++) sink += body(calls + j);
    calls += batch;
    now = performance.now();
  }
  if (sink === -1) console.log(sink); // keep the work observable
  return calls / ((now - start) / 1000);
}

function seedAndDraw(i: number): number {
  const r = new PyRandom(i);
  let s = 0;
  for (let k = 0; k < 10; k++) s += r.random();
  return s;
}

const shared = new PyRandom(12345);
const draw = (): number => shared.random();
let last: PyRandom | undefined;
const construct = (i: number): number => {
  last = new PyRandom(i);
  return i;
};

const fmt = (x: number): string => Math.round(x).toLocaleString("en-US");

for (const [name, fn, batch] of [
  ["warm-up", seedAndDraw, 1000],
  ["new PyRandom(i) + 10 random()  seeds/s", seedAndDraw, 1000],
  ["new PyRandom(i) only           seeds/s", construct, 1000],
  ["random()                       calls/s", draw, 100_000],
] as const) {
  const r = rate(name === "warm-up" ? 300 : 1000, batch, fn);
  if (name !== "warm-up") console.log(`${name}: ${fmt(r)}`);
}
if (last === undefined) throw new Error("unreachable");
