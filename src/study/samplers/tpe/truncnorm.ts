/**
 * The standard normal distribution and its truncation to an interval, in log space where
 * tails need it: the numeric kernels of TPE's Parzen estimators. Scalar functions, no
 * allocation; `erf`/`erfc` follow fdlibm's rational approximations (< 1 ulp), the log-CDF its
 * asymptotic series far in the left tail, and the quantile is Acklam's approximation refined
 * by Newton steps on the log-CDF, so it stays exact where the CDF underflows.
 * @module
 */

// fdlibm's coefficients (s_erf.c), as Optuna's `_erf.py` lists them.
const ERX = 0.8450629115104675;
const EFX = 0.1283791670955126;
const PP0 = 0.12837916709551256;
const PP1 = -0.3250421072470015;
const PP2 = -0.02848174957559851;
const PP3 = -0.005770270296489442;
const PP4 = -0.000023763016656650163;
const QQ1 = 0.39791722395915535;
const QQ2 = 0.0650222499887673;
const QQ3 = 0.005081306281875766;
const QQ4 = 0.00013249473800432164;
const QQ5 = -0.000003960228278775368;
const PA0 = -0.0023621185607526594;
const PA1 = 0.41485611868374833;
const PA2 = -0.3722078760357013;
const PA3 = 0.31834661990116175;
const PA4 = -0.11089469428239668;
const PA5 = 0.035478304325618236;
const PA6 = -0.002166375594868791;
const QA1 = 0.10642088040084423;
const QA2 = 0.540397917702171;
const QA3 = 0.07182865441419627;
const QA4 = 0.12617121980876164;
const QA5 = 0.01363708391202905;
const QA6 = 0.011984499846799107;
const RA0 = -0.009864944034847148;
const RA1 = -0.6938585727071818;
const RA2 = -10.558626225323291;
const RA3 = -62.375332450326006;
const RA4 = -162.39666946257347;
const RA5 = -184.60509290671104;
const RA6 = -81.2874355063066;
const RA7 = -9.814329344169145;
const SA1 = 19.651271667439257;
const SA2 = 137.65775414351904;
const SA3 = 434.56587747522923;
const SA4 = 645.3872717332679;
const SA5 = 429.00814002756783;
const SA6 = 108.63500554177944;
const SA7 = 6.570249770319282;
const SA8 = -0.0604244152148581;
const RB0 = -0.0098649429247001;
const RB1 = -0.799283237680523;
const RB2 = -17.757954917754752;
const RB3 = -160.63638485582192;
const RB4 = -637.5664433683896;
const RB5 = -1025.0951316110772;
const RB6 = -483.5191916086514;
const SB1 = 30.33806074348246;
const SB2 = 325.7925129965739;
const SB3 = 1536.729586084437;
const SB4 = 3199.8582195085955;
const SB5 = 2553.0504064331644;
const SB6 = 474.52854120695537;
const SB7 = -22.44095244658582;

/** ½·ln(2π). */
export const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const SQRT1_2 = Math.SQRT1_2;

// x with the low 32 bits of its mantissa cleared (fdlibm's SET_LOW_WORD(z, 0)): z² is exact.
const word = new Float64Array(1);
const words = new Uint32Array(word.buffer);
const LOW = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
function highPart(x: number): number {
  word[0] = x;
  words[LOW] = 0;
  return word[0]!;
}

/** exp(-x² - 0.5625 + R/S) / x for x ≥ 1.25, the tail of erfc (fdlibm). */
function erfcTail(ax: number): number {
  const s = 1 / (ax * ax);
  let r: number;
  let q: number;
  if (ax < 1 / 0.35) {
    r = RA0 + s * (RA1 + s * (RA2 + s * (RA3 + s * (RA4 + s * (RA5 + s * (RA6 + s * RA7))))));
    q =
      1 +
      s * (SA1 + s * (SA2 + s * (SA3 + s * (SA4 + s * (SA5 + s * (SA6 + s * (SA7 + s * SA8)))))));
  } else {
    r = RB0 + s * (RB1 + s * (RB2 + s * (RB3 + s * (RB4 + s * (RB5 + s * RB6)))));
    q = 1 + s * (SB1 + s * (SB2 + s * (SB3 + s * (SB4 + s * (SB5 + s * (SB6 + s * SB7))))));
  }
  const z = highPart(ax);
  return (Math.exp(-z * z - 0.5625) * Math.exp((z - ax) * (z + ax) + r / q)) / ax;
}

// exp for the density sums: e^x = 2^(k/1024) · e^r with |r| ≤ ln2/2048, a degree-4 polynomial
// (relative error < 5e-16), k rounded by the 1.5·2⁵² trick. About twice as fast as Math.exp.
const EXP_N = 1024;
const EXP_TABLE = new Float64Array(EXP_N);
for (let i = 0; i < EXP_N; i++) EXP_TABLE[i] = 2 ** (i / EXP_N);
const POW2 = new Float64Array(2200);
for (let i = 0; i < 2200; i++) POW2[i] = 2 ** (i - 1100);
const EXP_INV = EXP_N / Math.LN2;
const EXP_HI = 0.6931471803691238 / EXP_N;
const EXP_LO = 1.9082149292705877e-10 / EXP_N;
const ROUND = 6755399441055744;
const expWord = new Float64Array(1);
const expWords = new Int32Array(expWord.buffer);

/** e^x, as Math.exp to within 5e-16 relative, faster. */
export function fastExp(x: number): number {
  if (!(x > -700 && x < 700)) return Math.exp(x);
  const kd = x * EXP_INV + ROUND;
  const k = kd - ROUND;
  expWord[0] = kd;
  const ki = expWords[LOW]!;
  const r = x - k * EXP_HI - k * EXP_LO;
  const p = 1 + r * (1 + r * (0.5 + r * (0.16666666666666666 + r * 0.041666666666666664)));
  return p * EXP_TABLE[ki & (EXP_N - 1)]! * POW2[(ki >> 10) + 1100]!;
}

/** The error function. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const ax = Math.abs(x);
  if (ax < 0.84375) {
    if (ax < 3.725290298461914e-9) return x + EFX * x;
    const z = x * x;
    const r = PP0 + z * (PP1 + z * (PP2 + z * (PP3 + z * PP4)));
    const s = 1 + z * (QQ1 + z * (QQ2 + z * (QQ3 + z * (QQ4 + z * QQ5))));
    return x + x * (r / s);
  }
  if (ax < 1.25) {
    const s = ax - 1;
    const p = PA0 + s * (PA1 + s * (PA2 + s * (PA3 + s * (PA4 + s * (PA5 + s * PA6)))));
    const q = 1 + s * (QA1 + s * (QA2 + s * (QA3 + s * (QA4 + s * (QA5 + s * QA6)))));
    return x >= 0 ? ERX + p / q : -ERX - p / q;
  }
  if (ax >= 6) return x >= 0 ? 1 : -1;
  const r = erfcTail(ax);
  return x >= 0 ? 1 - r : r - 1;
}

/** The complementary error function 1 − erf(x), accurate in the right tail. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const ax = Math.abs(x);
  if (ax < 0.84375) {
    if (ax < 1.3877787807814457e-17) return 1 - x;
    const z = x * x;
    const r = PP0 + z * (PP1 + z * (PP2 + z * (PP3 + z * PP4)));
    const s = 1 + z * (QQ1 + z * (QQ2 + z * (QQ3 + z * (QQ4 + z * QQ5))));
    const y = r / s;
    if (x < 0.25) return 1 - (x + x * y);
    return 0.5 - (x * y + (x - 0.5));
  }
  if (ax < 1.25) {
    const s = ax - 1;
    const p = PA0 + s * (PA1 + s * (PA2 + s * (PA3 + s * (PA4 + s * (PA5 + s * PA6)))));
    const q = 1 + s * (QA1 + s * (QA2 + s * (QA3 + s * (QA4 + s * (QA5 + s * QA6)))));
    return x >= 0 ? 1 - ERX - p / q : 1 + ERX + p / q;
  }
  if (ax < 28) {
    if (x < -6) return 2;
    const r = erfcTail(ax);
    return x > 0 ? r : 2 - r;
  }
  return x > 0 ? 0 : 2;
}

/** Φ(a), the standard normal CDF, accurate in both tails (relative in the left one). */
export function ndtr(a: number): number {
  const x = a * SQRT1_2;
  if (x < -SQRT1_2) return 0.5 * erfc(-x);
  if (x < SQRT1_2) return 0.5 + 0.5 * erf(x);
  return 1 - 0.5 * erfc(x);
}

/** log Φ(a), finite down to a ≈ −1e150 (asymptotic series below −20). */
export function logNdtr(a: number): number {
  if (a > 0) return Math.log1p(-ndtr(-a));
  if (a > -20) return Math.log(ndtr(a));
  if (a === Number.NEGATIVE_INFINITY) return Number.NEGATIVE_INFINITY;
  // log Φ(a) = −a²/2 − log(−a) − ½log 2π + log(1 − 1/a² + 3/a⁴ − 15/a⁶ + …)
  const logLhs = -0.5 * a * a - Math.log(-a) - HALF_LOG_2PI;
  const inv = 1 / (a * a);
  let total = 1;
  let last = 0;
  let numerator = 1;
  let denominator = 1;
  let sign = 1;
  for (let i = 1; i < 100 && Math.abs(last - total) > Number.EPSILON; i++) {
    last = total;
    sign = -sign;
    denominator *= inv;
    numerator *= 2 * i - 1;
    total += sign * numerator * denominator;
  }
  return logLhs + Math.log(total);
}

/** log φ(x), the standard normal log-density. */
export function normLogPdf(x: number): number {
  return -0.5 * x * x - HALF_LOG_2PI;
}

/** log(e^p − e^q) for p ≥ q. */
function logDiff(p: number, q: number): number {
  return p + Math.log1p(-Math.exp(q - p));
}

/**
 * log(Φ(b) − Φ(a)) for a ≤ b: the log of the standard normal mass on [a, b], computed in the
 * tail where it is accurate (the left one, by symmetry).
 */
export function logGaussMass(a: number, b: number): number {
  if (b <= 0) return logDiff(logNdtr(b), logNdtr(a));
  if (a > 0) return logDiff(logNdtr(-a), logNdtr(-b));
  // Central: 1 − Φ(a) − Φ(−b), without cancellation near 1.
  return Math.log1p(-ndtr(a) - ndtr(-b));
}

/** log(e^p + e^q). */
export function logAddExp(p: number, q: number): number {
  if (p === Number.NEGATIVE_INFINITY) return q;
  if (q === Number.NEGATIVE_INFINITY) return p;
  return p > q ? p + Math.log1p(Math.exp(q - p)) : q + Math.log1p(Math.exp(p - q));
}

// Acklam's rational approximation of the normal quantile (relative error < 1.2e-9).
const A1 = -39.69683028665376;
const A2 = 220.9460984245205;
const A3 = -275.9285104469687;
const A4 = 138.357751867269;
const A5 = -30.66479806614716;
const A6 = 2.506628277459239;
const B1 = -54.47609879822406;
const B2 = 161.5858368580409;
const B3 = -155.6989798598866;
const B4 = 66.80131188771972;
const B5 = -13.28068155288572;
const C1 = -0.007784894002430293;
const C2 = -0.3223964580411365;
const C3 = -2.400758277161838;
const C4 = -2.549732539343734;
const C5 = 4.374664141464968;
const C6 = 2.938163982698783;
const D1 = 0.007784695709041462;
const D2 = 0.3224671290700398;
const D3 = 2.445134137142996;
const D4 = 3.754408661907416;

/** Acklam's start for Φ⁻¹(p), given p and 1 − p (both, so that either tail is exact). */
function acklam(p: number, q: number): number {
  if (p < 0.02425) {
    const t = Math.sqrt(-2 * Math.log(p));
    return (
      (((((C1 * t + C2) * t + C3) * t + C4) * t + C5) * t + C6) /
      ((((D1 * t + D2) * t + D3) * t + D4) * t + 1)
    );
  }
  if (q < 0.02425) {
    const t = Math.sqrt(-2 * Math.log(q));
    return -(
      (((((C1 * t + C2) * t + C3) * t + C4) * t + C5) * t + C6) /
      ((((D1 * t + D2) * t + D3) * t + D4) * t + 1)
    );
  }
  const r = p - 0.5;
  const s = r * r;
  return (
    ((((((A1 * s + A2) * s + A3) * s + A4) * s + A5) * s + A6) * r) /
    (((((B1 * s + B2) * s + B3) * s + B4) * s + B5) * s + 1)
  );
}

/**
 * Φ⁻¹(p) for p in (0, 1): Acklam's start in the lower tail (1 − p is exact for p ≥ ½) and one
 * Halley step, which brings it to full precision.
 */
export function ndtri(p: number): number {
  if (!(p > 0)) return p === 0 ? Number.NEGATIVE_INFINITY : Number.NaN;
  if (!(p < 1)) return p === 1 ? Number.POSITIVE_INFINITY : Number.NaN;
  const upper = p > 0.5;
  const q = upper ? 1 - p : p;
  if (q < 1e-300) return upper ? -ndtriExp(Math.log(q)) : ndtriExp(Math.log(q));
  let x = acklam(q, 1 - q);
  const e = 0.5 * erfc(-x * SQRT1_2) - q;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp(0.5 * x * x);
  x -= u / (1 + 0.5 * x * u);
  return upper ? -x : x;
}

/** The x with log Φ(x) = y (y ≤ 0): the normal quantile of e^y, exact where e^y underflows. */
export function ndtriExp(y: number): number {
  if (Number.isNaN(y)) return Number.NaN;
  if (y >= 0) return Number.POSITIVE_INFINITY;
  if (y === Number.NEGATIVE_INFINITY) return Number.NEGATIVE_INFINITY;
  let x: number;
  if (y > -700) {
    x = acklam(Math.exp(y), -Math.expm1(y));
  } else {
    // log Φ(x) ≈ −x²/2 − log(−x) − ½log 2π far left.
    const t = -2 * y;
    x = -Math.sqrt(t - Math.log(t * 2 * Math.PI));
  }
  // Newton on log Φ: its slope φ(x)/Φ(x) is computed in log space, so tails converge too.
  for (let i = 0; i < 8; i++) {
    const lx = logNdtr(x);
    const step = (lx - y) / Math.exp(normLogPdf(x) - lx);
    if (!Number.isFinite(step)) break;
    x -= step;
    if (Math.abs(step) <= 1e-15 * (1 + Math.abs(x))) break;
  }
  return x;
}

/**
 * The q-quantile of the standard normal truncated to [a, b] (a < b), computed from the tail
 * nearer to the interval so that far-out intervals stay exact.
 */
export function truncnormPpf(q: number, a: number, b: number): number {
  if (q <= 0) return a;
  if (q >= 1) return b;
  if (!(a < b)) return Number.NaN;
  let x: number;
  if (a < 0) {
    x = ndtriExp(logAddExp(logNdtr(a), Math.log(q) + logGaussMass(a, b)));
  } else {
    x = -ndtriExp(logAddExp(logNdtr(-b), Math.log1p(-q) + logGaussMass(a, b)));
  }
  return Math.min(Math.max(x, a), b);
}

/**
 * log-density at x of the normal N(loc, scale²) truncated to [low, high] (bounds in x units);
 * −∞ outside. Includes the −log(scale) term (Optuna 3.1's copy omits it; later versions and
 * SciPy have it).
 */
export function truncnormLogPdf(
  x: number,
  low: number,
  high: number,
  loc: number,
  scale: number,
): number {
  if (x < low || x > high) return Number.NEGATIVE_INFINITY;
  const z = (x - loc) / scale;
  return normLogPdf(z) - logGaussMass((low - loc) / scale, (high - loc) / scale) - Math.log(scale);
}

/** A draw from N(loc, scale²) truncated to [low, high], given a uniform u in [0, 1). */
export function truncnormSample(
  u: number,
  low: number,
  high: number,
  loc: number,
  scale: number,
): number {
  const a = (low - loc) / scale;
  const b = (high - loc) / scale;
  // Bounds more than 8.5σ away truncate nothing a double can show: the plain quantile will do.
  const z = a < -8.5 && b > 8.5 ? ndtri(u) : truncnormPpf(u, a, b);
  const x = loc + scale * z;
  return Math.min(Math.max(x, low), high);
}
