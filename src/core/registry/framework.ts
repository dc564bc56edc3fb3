/**
 * Which framework wrote a model file, guessed from its name and, when the name says nothing, from
 * its first bytes. A guess only labels the version; nothing depends on it being right.
 */
import type { ModelFramework } from '../../shared/modelTypes';

const BY_EXTENSION: ReadonlyMap<string, ModelFramework> = new Map([
  ['.onnx', 'onnx'],
  ['.pt', 'pytorch'],
  ['.pth', 'pytorch'],
  ['.h5', 'keras'],
  ['.hdf5', 'keras'],
  ['.keras', 'keras'],
  ['.joblib', 'sklearn'],
  ['.pkl', 'sklearn'],
  ['.pickle', 'sklearn'],
  ['.safetensors', 'safetensors'],
  ['.gguf', 'gguf'],
]);

/** Extensions offered for registration when a run's artifacts contain them. */
export const MODEL_FILE_EXTENSIONS: readonly string[] = [...BY_EXTENSION.keys()];

const SAVED_MODEL_DIR = 'saved_model';
const SAVED_MODEL_FILES = new Set(['saved_model.pb', 'saved_model.pbtxt']);

function extensionOf(p: string): string {
  const base = baseName(p).toLowerCase();
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot);
}

function baseName(p: string): string {
  const parts = p.replace(/\\/g, '/').split('/').filter((s) => s !== '');
  return parts[parts.length - 1] ?? '';
}

/** The framework a path's name points to; `isDirectory` marks a folder (a TF SavedModel is one). */
export function frameworkFromPath(p: string, isDirectory = false): ModelFramework | null {
  const base = baseName(p).toLowerCase();
  if (isDirectory) return base === SAVED_MODEL_DIR ? 'tensorflow' : null;
  if (SAVED_MODEL_FILES.has(base)) return 'tensorflow';
  return BY_EXTENSION.get(extensionOf(p)) ?? null;
}

/**
 * Recognises a format by its leading bytes: GGUF's magic, safetensors' little-endian header length
 * followed by a JSON object, HDF5's signature (Keras .h5). Pickles and zip files are too generic.
 */
export function frameworkFromContent(head: Uint8Array): ModelFramework | null {
  if (head.length >= 4 && head[0] === 0x47 && head[1] === 0x47 && head[2] === 0x55 && head[3] === 0x46) return 'gguf';
  const hdf5 = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
  if (head.length >= 8 && hdf5.every((b, i) => head[i] === b)) return 'keras';
  if (head.length >= 9) {
    const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
    const headerLength = view.getBigUint64(0, true);
    if (headerLength > 1n && headerLength < 100_000_000n && head[8] === 0x7b /* { */) return 'safetensors';
  }
  return null;
}

/** The name decides when it can; otherwise the content, for files named `model.bin` and the like. */
export function guessFramework(p: string, opts: { isDirectory?: boolean; directoryEntries?: readonly string[]; head?: Uint8Array } = {}): ModelFramework | null {
  if (opts.isDirectory) {
    if (opts.directoryEntries?.some((e) => SAVED_MODEL_FILES.has(e.toLowerCase()))) return 'tensorflow';
    return frameworkFromPath(p, true);
  }
  return frameworkFromPath(p) ?? (opts.head ? frameworkFromContent(opts.head) : null);
}

/**
 * The model artifact a workspace-relative artifact path belongs to: the path itself for a model
 * file, the enclosing `saved_model/` folder for a file inside one (or for `.../saved_model.pb`).
 */
export function modelArtifactOf(p: string): { path: string; framework: ModelFramework } | null {
  const parts = p.replace(/\\/g, '/').split('/').filter((s) => s !== '');
  const savedModelAt = parts.findIndex((s) => s.toLowerCase() === SAVED_MODEL_DIR);
  if (savedModelAt >= 0) return { path: parts.slice(0, savedModelAt + 1).join('/'), framework: 'tensorflow' };
  const last = parts[parts.length - 1]?.toLowerCase();
  if (last !== undefined && SAVED_MODEL_FILES.has(last) && parts.length > 1) return { path: parts.slice(0, -1).join('/'), framework: 'tensorflow' };
  const framework = frameworkFromPath(p);
  return framework ? { path: parts.join('/'), framework } : null;
}
