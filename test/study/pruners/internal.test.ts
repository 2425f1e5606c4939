import { describe, expect, it } from "vitest";
import {
  _crc32,
  _isFirstInIntervalStep,
  _lastStep,
  _log,
  _nanMax,
  _nanMin,
  _nanPercentile,
} from "../../../src/study/pruners/_internal.js";
import { FakeStudy } from "./fake-study.js";

describe("pruner helpers", () => {
  it("_nanPercentile is numpy's linear nanpercentile", () => {
    expect(_nanPercentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(_nanPercentile([4, 1, 3, 2], 25)).toBe(1.75);
    expect(_nanPercentile([1, Number.NaN, 3], 50)).toBe(2);
    expect(_nanPercentile([Number.NaN], 50)).toBeNaN();
    expect(_nanPercentile([], 50)).toBeNaN();
    expect(_nanPercentile([7], 0)).toBe(7);
    // numpy's lerp next to an infinity: inf - inf and inf * 0 give NaN.
    expect(_nanPercentile([1, 2, Number.POSITIVE_INFINITY], 100)).toBeNaN();
    expect(_nanPercentile([1, 2, 3, 4, Number.POSITIVE_INFINITY], 50)).toBe(3);
  });

  it("_nanMin / _nanMax skip NaN and give NaN when nothing is left", () => {
    expect(_nanMin([Number.NaN, 3, 1, Number.NaN])).toBe(1);
    expect(_nanMax([Number.NaN, 3, 1])).toBe(3);
    expect(_nanMin([Number.NaN])).toBeNaN();
    expect(_nanMax([])).toBeNaN();
    expect(_nanMin([Number.NEGATIVE_INFINITY, 0])).toBe(Number.NEGATIVE_INFINITY);
  });

  it("_isFirstInIntervalStep postpones a check point without a report to the next report", () => {
    expect(_isFirstInIntervalStep(7, [0, 3, 7], 0, 5)).toBe(true);
    expect(_isFirstInIntervalStep(8, [0, 6, 8], 0, 5)).toBe(false);
    expect(_isFirstInIntervalStep(5, [5], 5, 10)).toBe(true);
    expect(_isFirstInIntervalStep(0, [0], 0, 1)).toBe(true);
  });

  it("_lastStep is the largest step, whatever the report order", () => {
    const study = new FakeStudy();
    expect(_lastStep(study.trial(study.ask()))).toBeUndefined();
    expect(
      _lastStep(
        study.trial(
          study.ask([
            [9, 0],
            [2, 0],
          ]),
        ),
      ),
    ).toBe(9);
  });

  it("_crc32 is zlib's CRC-32 of the UTF-8 bytes", () => {
    expect(_crc32("")).toBe(0);
    expect(_crc32("123456789")).toBe(0xcbf43926);
    expect(_crc32("The quick brown fox jumps over the lazy dog")).toBe(0x414fa339);
  });

  it("_log is correctly rounded where Math.log is not", () => {
    expect(_log(1)).toBe(0);
    expect(_log(3)).toBe(1.0986122886681098);
    expect(_log(Math.E)).toBe(1);
    expect(_log(0.5)).toBe(-Math.LN2);
    expect(_log(1024)).toBe(10 * Math.LN2);
    for (const x of [2, 10, 1e-300, 1e300, 123.456, 1 + 2 ** -52]) {
      expect(Math.abs(_log(x) - Math.log(x))).toBeLessThanOrEqual(Math.abs(Math.log(x)) * 2 ** -51);
    }
  });
});
