/**
 * Shared helpers for the space tests: catching errors, a recording sampler, junk inputs.
 * Not a test file itself (vitest only runs `*.test.ts`).
 */
import { expect } from "vitest";
import * as sp from "../../src/index.js";

/** Runs `fn` and returns what it threw; fails the test when nothing was thrown. */
export function thrown(fn: () => unknown): any {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error, but nothing was thrown");
}

/**
 * Expects `fn` to throw an instance of `cls` with `code`, whose message contains every part of
 * `parts`. Returns the error for further checks.
 */
export function expectError(
  fn: () => unknown,
  cls: abstract new (...args: any[]) => Error,
  code: string,
  ...parts: string[]
): any {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(cls);
  expect(error.code).toBe(code);
  for (const part of parts) expect(error.message).toContain(part);
  return error;
}

/** One recorded call to a sampler. */
export type Call =
  | ["float" | "int", string, number, number, sp.SuggestNumberOptions | undefined]
  | ["categorical", string, unknown[], sp.SuggestCategoricalOptions | undefined];

/**
 * A sampler that records every call and answers with `answer` (default: the lower bound, or
 * the first choice). It throws after `limit` calls so a runaway loop fails instead of hanging.
 */
export class RecordingSampler implements sp.SpaceSampler {
  readonly calls: Call[] = [];
  constructor(
    private readonly answer: (call: Call) => unknown = (call) =>
      call[0] === "categorical" ? call[2][0] : call[2],
    private readonly limit = 100_000,
  ) {}
  private record(call: Call): any {
    this.calls.push(call);
    if (this.calls.length > this.limit) throw new Error("RecordingSampler: runaway sampling");
    return this.answer(call);
  }
  suggestFloat(name: string, low: number, high: number, options?: sp.SuggestNumberOptions) {
    return this.record(["float", name, low, high, options]);
  }
  suggestInt(name: string, low: number, high: number, options?: sp.SuggestNumberOptions) {
    return this.record(["int", name, low, high, options]);
  }
  suggestCategorical(
    name: string,
    choices: readonly unknown[],
    options?: sp.SuggestCategoricalOptions,
  ) {
    return this.record(["categorical", name, [...choices], options]);
  }
}

/** Values that are not what a public function expects, to check nothing leaks a TypeError. */
export const JUNK: readonly [string, unknown][] = [
  ["number", 5],
  ["string", "x"],
  ["null", null],
  ["undefined", undefined],
  ["empty array", []],
  ["array", [1, "a"]],
  ["function", () => 1],
  ["NaN", Number.NaN],
  ["boolean", true],
  ["empty object", {}],
  ["symbol", Symbol("junk")],
  ["bigint", 10n],
  ["Date", new Date(0)],
  ["null-prototype object", Object.create(null)],
];

/** Expects `fn` to fail with a SpaxError (never a bare TypeError) for this junk value. */
export function expectSpaxErrorFor(fn: () => unknown): void {
  const error = thrown(fn);
  if (!(error instanceof sp.SpaxError)) {
    throw new Error(`expected a SpaxError, got ${error?.constructor?.name}: ${error?.message}`);
  }
}

/** Seeds 0..n-1. */
export function seeds(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
