import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SpaxError } from "../../../src/errors.js";
import { PyRandom } from "../../../src/sample/mt19937.js";
import {
  randomSobolScrambling,
  SOBOL_MAX_DIMENSIONS,
  SOBOL_MAX_POINTS,
  SobolEngine,
  sobolDirectionNumbers,
} from "../../../src/study/samplers/sobol.js";

/** Golden SciPy data; regenerate with test/study/samplers/sobol-scipy.py. */
interface Fixture {
  scipy: string;
  plain: { d: number; start: number; n: number; points: number[][] }[];
  directions: { d: number; sha256: string };
  manyDimensions: { d: number; n: number; sha256: string };
  scrambled: {
    d: number;
    seed: number;
    start: number;
    n: number;
    shift: number[];
    matrices: number[][];
    points: number[][];
  }[];
}

const fixture: Fixture = JSON.parse(
  readFileSync(new URL("./sobol-scipy.json", import.meta.url), "utf8"),
);

const rows = (points: Float64Array[]) => points.map((p) => Array.from(p));

function sha256(view: ArrayBufferView): string {
  // Typed arrays are little-endian on every platform Node supports, as the fixture is.
  return createHash("sha256")
    .update(new Uint8Array(view.buffer, view.byteOffset, view.byteLength))
    .digest("hex");
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof SpaxError ? e.code : `not a SpaxError: ${String(e)}`;
  }
  return undefined;
}

describe("Sobol' points against SciPy", () => {
  it.each(fixture.plain)(
    "unscrambled d=$d, start=$start, n=$n equals qmc.Sobol(scramble=False)",
    ({ d, start, n, points }) => {
      const engine = new SobolEngine(d);
      expect(rows(engine.points(start, n))).toStrictEqual(points);
      // Random access agrees with the incremental walk.
      for (const k of [0, 1, n - 1])
        expect(Array.from(engine.point(start + k))).toStrictEqual(points[k]);
    },
  );

  it("ships SciPy's direction numbers for all 1111 dimensions", () => {
    expect(SOBOL_MAX_DIMENSIONS).toBe(1111);
    const v = sobolDirectionNumbers(fixture.directions.d);
    expect(sha256(v)).toBe(fixture.directions.sha256);
  });

  it("equals SciPy's first 256 points in 1111 dimensions", () => {
    const { d, n } = fixture.manyDimensions;
    const points = new SobolEngine(d).points(0, n);
    const flat = new Float64Array(d * n);
    points.forEach((p, k) => {
      flat.set(p, k * d);
    });
    expect(sha256(flat)).toBe(fixture.manyDimensions.sha256);
  });

  it.each(fixture.scrambled)(
    "LMS + shift with SciPy's matrices (seed $seed, d=$d) equals SciPy's scrambled points",
    ({ d, start, n, shift, matrices, points }) => {
      const engine = new SobolEngine(d, { scrambling: { shift, matrices } });
      expect(engine.scrambled).toBe(true);
      expect(rows(engine.points(start, n))).toStrictEqual(points);
    },
  );
});

describe("scrambled Sobol' points", () => {
  /** Each of the first 2^k points falls in its own 1/2^k interval, per dimension. */
  function balanced(points: Float64Array[], d: number): boolean {
    const n = points.length;
    for (let i = 0; i < d; i++) {
      const cells = new Set(points.map((p) => Math.floor(p[i]! * n)));
      if (cells.size !== n) return false;
    }
    return true;
  }

  it("lie in [0, 1) and keep the balance of every power-of-two prefix", () => {
    for (const seed of [0, 1, 2, 99]) {
      const d = 7;
      const engine = new SobolEngine(d, { scramble: true, seed });
      const points = engine.points(0, 1024);
      expect(points.every((p) => p.every((x) => x >= 0 && x < 1))).toBe(true);
      for (let k = 0; k <= 10; k++) expect(balanced(points.slice(0, 2 ** k), d)).toBe(true);
      // Every aligned block of 2^k points is balanced too (a (0, m, 1)-net in each dimension).
      expect(balanced(points.slice(256, 512), d)).toBe(true);
      expect(balanced(points.slice(768, 1024), d)).toBe(true);
    }
  });

  it("are two-dimensionally stratified like the plain sequence: 2^k points over 2^a × 2^b boxes", () => {
    // Dimensions 0 and 1 of Sobol' form a (0, 2)-sequence: every elementary box of volume 2^-k
    // holds exactly one of the first 2^k points; scrambling preserves it.
    const points = new SobolEngine(2, { scramble: true, seed: 5 }).points(0, 256);
    for (let a = 0; a <= 8; a++) {
      const b = 8 - a;
      const boxes = new Set(
        points.map((p) => `${Math.floor(p[0]! * 2 ** a)},${Math.floor(p[1]! * 2 ** b)}`),
      );
      expect(boxes.size).toBe(256);
    }
  });

  it("are deterministic per seed and differ across seeds", () => {
    const a = rows(new SobolEngine(4, { scramble: true, seed: 3 }).points(0, 32));
    const b = rows(new SobolEngine(4, { scramble: true, seed: 3 }).points(0, 32));
    const c = rows(new SobolEngine(4, { scramble: true, seed: 4 }).points(0, 32));
    expect(a).toStrictEqual(b);
    expect(a).not.toStrictEqual(c);
    const fromRng = rows(
      new SobolEngine(4, { scramble: true, random: new PyRandom(3) }).points(0, 32),
    );
    expect(fromRng).toStrictEqual(a);
  });

  it("scramble the first k dimensions the same whatever the total dimension", () => {
    const three = new SobolEngine(3, { scramble: true, seed: 8 }).points(0, 16);
    const six = new SobolEngine(6, { scramble: true, seed: 8 }).points(0, 16);
    expect(rows(six).map((p) => p.slice(0, 3))).toStrictEqual(rows(three));
    const s = randomSobolScrambling(2, new PyRandom(1));
    expect(s.shift).toHaveLength(2);
    expect(s.matrices[0]).toHaveLength(30);
  });

  it("are not the plain points", () => {
    const plain = rows(new SobolEngine(3).points(0, 8));
    const scrambled = rows(new SobolEngine(3, { scramble: true, seed: 1 }).points(0, 8));
    expect(scrambled).not.toStrictEqual(plain);
  });
});

describe("bad input", () => {
  it("rejects dimensions and indexes out of range with codes", () => {
    expect(codeOf(() => new SobolEngine(0))).toBe("invalid_dimension");
    expect(codeOf(() => new SobolEngine(1112))).toBe("invalid_dimension");
    expect(codeOf(() => new SobolEngine(1.5))).toBe("invalid_dimension");
    const engine = new SobolEngine(2);
    expect(codeOf(() => engine.point(-1))).toBe("invalid_index");
    expect(codeOf(() => engine.point(SOBOL_MAX_POINTS))).toBe("invalid_index");
    expect(codeOf(() => engine.points(SOBOL_MAX_POINTS - 1, 2))).toBe("invalid_index");
    expect(Array.from(engine.point(SOBOL_MAX_POINTS - 1)).every((x) => x < 1)).toBe(true);
    expect(codeOf(() => new SobolEngine(2, { scrambling: { shift: [1], matrices: [[1]] } }))).toBe(
      "invalid_scrambling",
    );
  });
});
