/**
 * A 64-bit hash of each page of a file image (two 32-bit lanes), to tell which pages a save
 * changed without keeping the previous image: 8 bytes a page instead of the page. Each lane mixes
 * every 32-bit word through a bijection, so a page that differs in one word always hashes
 * differently; the whole-file checksum checked on open stands behind the rest.
 */
export function pageHashes(image: Uint8Array, pageSize: number): Uint32Array {
  const count = Math.floor(image.byteLength / pageSize);
  const out = new Uint32Array(count * 2);
  const aligned = image.byteOffset % 4 === 0 ? image : new Uint8Array(image); // a copy, aligned
  const words = new Int32Array(aligned.buffer, aligned.byteOffset, Math.floor(aligned.byteLength / 4));
  const perPage = pageSize / 4;
  for (let p = 0; p < count; p++) {
    let a = 0x9e3779b9 | 0;
    let b = 0x85ebca6b | 0;
    for (let i = p * perPage, end = i + perPage; i < end; i++) {
      const x = words[i]!;
      a = Math.imul(a ^ x, 0x01000193);
      b = Math.imul(((b << 5) | (b >>> 27)) ^ x, 0x27d4eb2d);
    }
    out[2 * p] = a;
    out[2 * p + 1] = b;
  }
  return out;
}
