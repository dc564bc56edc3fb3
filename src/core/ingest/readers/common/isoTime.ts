/**
 * Times as Python's `datetime.isoformat()` and `str(datetime)` write them (Optuna, KerasTuner):
 * `2026-05-29T05:21:15.587610`, `2026-01-05 20:41:27.136275`, `…+00:00`. Text without a zone is the
 * local time of the machine that wrote it (`datetime.now()`), read here as this machine's local time.
 */
const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/;

/** Seconds since the epoch, or undefined when the text is not such a time. */
export function isoSeconds(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const fraction = m[7] ? Number(`0.${m[7]}`) : 0;
  const zone = m[8];
  let ms: number;
  if (zone === undefined) {
    ms = new Date(y, mo - 1, d, h, mi, s).getTime();
  } else {
    const sign = zone === 'Z' ? 0 : zone[0] === '-' ? -1 : 1;
    const digits = zone.replace(/[^0-9]/g, '');
    const offsetMin = sign === 0 ? 0 : sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0));
    ms = Date.UTC(y, mo - 1, d, h, mi, s) - offsetMin * 60_000;
  }
  return Number.isFinite(ms) ? ms / 1000 + fraction : undefined;
}
