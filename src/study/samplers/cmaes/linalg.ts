/**
 * The little dense linear algebra CMA-ES needs: a symmetric eigensolver (cyclic Jacobi, exact
 * enough and simple for the d ≤ ~50 of hyperparameter search) and packed symmetric storage.
 * Matrices are row-major `Float64Array`s of n·n entries.
 * @module
 */

/** Eigenvalues in ascending order, and the matching unit eigenvectors as columns of `vectors`. */
export interface SymmetricEigen {
  readonly values: Float64Array;
  /** Row-major n·n; column `k` is the eigenvector of `values[k]`. */
  readonly vectors: Float64Array;
}

/**
 * Eigendecomposition of a symmetric matrix by cyclic Jacobi rotations: A = V diag(λ) Vᵀ.
 * Reads only the upper triangle of `a` (which is not modified). Rotations are skipped once an
 * off-diagonal entry is negligible next to both diagonal entries, and sweeps stop when every
 * off-diagonal entry is zero, so the result is exact to rounding for well-scaled matrices.
 * @param a row-major n·n matrix (symmetric; only entries with row ≤ column are read)
 * @param n the order
 */
export function symmetricEigen(a: ArrayLike<number>, n: number): SymmetricEigen {
  const m = new Float64Array(n * n); // working copy of the upper triangle
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) m[i * n + j] = a[i * n + j]!;
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  const d = new Float64Array(n);
  const b = new Float64Array(n);
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = b[i] = m[i * n + i]!;

  for (let sweep = 1; sweep <= 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n - 1; p++) for (let q = p + 1; q < n; q++) off += Math.abs(m[p * n + q]!);
    if (off === 0) break;
    // Early sweeps only rotate the larger entries.
    const threshold = sweep < 4 ? (0.2 * off) / (n * n) : 0;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q]!;
        const g = 100 * Math.abs(apq);
        if (
          sweep > 4 &&
          Math.abs(d[p]!) + g === Math.abs(d[p]!) &&
          Math.abs(d[q]!) + g === Math.abs(d[q]!)
        ) {
          m[p * n + q] = 0;
          continue;
        }
        if (Math.abs(apq) <= threshold) continue;
        let h = d[q]! - d[p]!;
        let t: number;
        if (Math.abs(h) + g === Math.abs(h)) {
          t = apq / h;
        } else {
          const theta = (0.5 * h) / apq;
          t = 1 / (Math.abs(theta) + Math.sqrt(1 + theta * theta));
          if (theta < 0) t = -t;
        }
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        const tau = s / (1 + c);
        h = t * apq;
        z[p] = z[p]! - h;
        z[q] = z[q]! + h;
        d[p] = d[p]! - h;
        d[q] = d[q]! + h;
        m[p * n + q] = 0;
        const rotate = (i: number, j: number) => {
          const gi = m[i]!;
          const hj = m[j]!;
          m[i] = gi - s * (hj + gi * tau);
          m[j] = hj + s * (gi - hj * tau);
        };
        for (let j = 0; j < p; j++) rotate(j * n + p, j * n + q);
        for (let j = p + 1; j < q; j++) rotate(p * n + j, j * n + q);
        for (let j = q + 1; j < n; j++) rotate(p * n + j, q * n + j);
        for (let j = 0; j < n; j++) {
          const gi = v[j * n + p]!;
          const hj = v[j * n + q]!;
          v[j * n + p] = gi - s * (hj + gi * tau);
          v[j * n + q] = hj + s * (gi - hj * tau);
        }
      }
    }
    for (let i = 0; i < n; i++) {
      b[i] = b[i]! + z[i]!;
      d[i] = b[i]!;
      z[i] = 0;
    }
  }

  // Sort ascending (as LAPACK's eigh), carrying the eigenvector columns along.
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => d[i]! - d[j]! || i - j);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, k) => {
    values[k] = d[src]!;
    for (let r = 0; r < n; r++) vectors[r * n + k] = v[r * n + src]!;
  });
  return { values, vectors };
}

/** The upper triangle of a symmetric n·n matrix, row by row (n(n+1)/2 entries). */
export function packSymmetric(a: ArrayLike<number>, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) out.push(a[i * n + j]!);
  return out;
}

/** The full symmetric n·n matrix from {@link packSymmetric}'s layout. */
export function unpackSymmetric(packed: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n * n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const x = packed[k++]!;
      out[i * n + j] = x;
      out[j * n + i] = x;
    }
  }
  return out;
}
