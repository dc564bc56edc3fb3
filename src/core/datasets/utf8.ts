/**
 * True when buf[start, end) is well-formed UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF).
 * A loop rather than buffer.isUtf8 so that checking one field allocates no view.
 */
export function isValidUtf8(buf: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end) {
    const b = buf[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let min: number;
    let cp: number;
    if ((b & 0xe0) === 0xc0) {
      n = 1;
      min = 0x80;
      cp = b & 0x1f;
    } else if ((b & 0xf0) === 0xe0) {
      n = 2;
      min = 0x800;
      cp = b & 0x0f;
    } else if ((b & 0xf8) === 0xf0) {
      n = 3;
      min = 0x10000;
      cp = b & 0x07;
    } else {
      return false;
    }
    if (i + n >= end) return false; // sequence cut off by the end of the field
    for (let k = 1; k <= n; k++) {
      const c = buf[i + k];
      if ((c & 0xc0) !== 0x80) return false;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += n + 1;
  }
  return true;
}
