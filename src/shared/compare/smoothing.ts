/**
 * TensorBoard's curve smoothing: an exponential moving average debiased like Adam's moments, so
 * the first points are not pulled towards zero. It lives in src/shared because the Compare panel
 * smooths in the browser (the slider must answer at once) and the tests check it in Node.
 */

/**
 * Smooths `values` with weight `weight` in [0, 1): 0 returns the values unchanged, larger weights
 * smooth more. Non-finite values are passed through and do not enter the average; a constant
 * series stays exactly constant (as in TensorBoard, which skips the average then).
 */
export function debiasedEma(values: ArrayLike<number>, weight: number, out = new Float64Array(values.length)): Float64Array {
  const n = values.length;
  const w = Math.min(Math.max(Number.isFinite(weight) ? weight : 0, 0), 1);
  let constant = true;
  for (let i = 1; i < n && constant; i++) constant = values[i] === values[0];
  if (w === 0 || constant) {
    for (let i = 0; i < n; i++) out[i] = values[i]!;
    return out;
  }
  let last = 0;
  let accumulated = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    last = last * w + (1 - w) * v;
    accumulated++;
    const debias = w === 1 ? 1 : 1 - Math.pow(w, accumulated);
    out[i] = last / debias;
  }
  return out;
}
