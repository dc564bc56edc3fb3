import { promises as fsp } from 'node:fs';

export interface ChunkReadOptions {
  chunkBytes: number;
  signal?: AbortSignal;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

export interface ChunkReadResult {
  bytesRead: number;
  totalBytes: number;
  /** Why reading ended before the end of the file, if it did. */
  stoppedBy?: 'consumer' | 'abort';
}

/**
 * Reads a file front to back into one reusable buffer and hands each chunk to `onChunk`, which
 * must finish with the bytes before returning (they are overwritten by the next read) and returns
 * false to stop. Memory stays at one chunk whatever the file size.
 */
export async function readFileChunks(
  path: string,
  options: ChunkReadOptions,
  onChunk: (chunk: Buffer, offset: number) => boolean,
): Promise<ChunkReadResult> {
  const handle = await fsp.open(path, 'r');
  try {
    const totalBytes = (await handle.stat()).size;
    const buf = Buffer.allocUnsafe(options.chunkBytes);
    let offset = 0;
    for (;;) {
      if (options.signal?.aborted) return { bytesRead: offset, totalBytes, stoppedBy: 'abort' };
      const { bytesRead } = await handle.read(buf, 0, buf.length, offset);
      if (bytesRead === 0) return { bytesRead: offset, totalBytes };
      const keepGoing = onChunk(buf.subarray(0, bytesRead), offset);
      offset += bytesRead;
      options.onProgress?.(offset, totalBytes);
      if (!keepGoing) return { bytesRead: offset, totalBytes, stoppedBy: 'consumer' };
    }
  } finally {
    await handle.close();
  }
}
