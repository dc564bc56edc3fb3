/**
 * Model files offered for registration: what runs recorded as artifacts (.onnx, .pt, .h5, .joblib,
 * .pkl, .safetensors, .gguf, `saved_model/` folders …) and, for "pick a file", the model files
 * under a folder. Only files that exist inside the workspace are offered.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Database } from 'sql.js';
import type { ModelVersionRef, RegistrationCandidate } from '../../shared/modelTypes';
import { SKIPPED_DIRS } from '../ingest/discovery';
import { rows } from '../store/queries';
import { resolveInsideWorkspace } from '../workspacePaths';
import { modelArtifactOf } from './framework';
import type { ModelRegistryView } from './modelQueries';

export function registrationCandidates(db: Database, view: ModelRegistryView, workspaceRoot: string, opts: { runUid?: string } = {}): RegistrationCandidate[] {
  const where = opts.runUid === undefined ? '' : 'WHERE r.uid = ?';
  const artifacts = rows(db, `SELECT r.uid, COALESCE(r.renamed, r.name) AS run_name, a.path, a.sha256, a.bytes
    FROM artifacts a JOIN runs r ON r.id = a.run_id ${where} ORDER BY r.started IS NULL, r.started DESC, r.uid, a.path`,
  opts.runUid === undefined ? [] : [opts.runUid]);
  const out: RegistrationCandidate[] = [];
  const seen = new Set<string>();
  for (const a of artifacts) {
    const artifact = modelArtifactOf(String(a.path));
    if (!artifact) continue;
    const runUid = String(a.uid);
    const key = `${runUid}\u0000${artifact.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (!resolveInsideWorkspace(workspaceRoot, artifact.path).ok) continue;
    // A file inside a saved_model/ folder stands for the folder, whose hash is another one.
    const whole = artifact.path === String(a.path);
    const sha256 = whole && a.sha256 !== null ? String(a.sha256) : null;
    out.push({
      runUid, runName: a.run_name === null ? null : String(a.run_name), path: artifact.path, framework: artifact.framework,
      sha256, bytes: whole && a.bytes !== null ? Number(a.bytes) : null,
      registeredAs: registeredAs(view, runUid, artifact.path, sha256),
    });
  }
  return out;
}

function registeredAs(view: ModelRegistryView, runUid: string, relPath: string, sha256: string | null): ModelVersionRef | null {
  for (const model of view.models) {
    const v = model.versions.find((x) => x.runUid === runUid && ((sha256 !== null && x.sha256 === sha256) || x.path === relPath));
    if (v) return { name: v.name, version: v.version };
  }
  return null;
}

/** Model files and `saved_model/` folders below `dir` (workspace-relative paths), for a file picker. */
export function findModelFiles(workspaceRoot: string, dir: string, opts: { maxDepth?: number; maxEntries?: number } = {}): string[] {
  const start = resolveInsideWorkspace(workspaceRoot, dir);
  if (!start.ok) return [];
  const maxDepth = opts.maxDepth ?? 8;
  let budget = opts.maxEntries ?? 20_000;
  const found = new Set<string>();
  const walk = (abs: string, rel: string, depth: number): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(abs, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (--budget < 0) return;
      const childRel = rel === '.' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name.toLowerCase() === 'saved_model') found.add(childRel);
        else if (depth < maxDepth && !SKIPPED_DIRS.has(entry.name)) walk(path.join(abs, entry.name), childRel, depth + 1);
      } else if (entry.isFile()) {
        const artifact = modelArtifactOf(childRel);
        if (artifact) found.add(artifact.path);
      }
    }
  };
  walk(start.absPath, start.relPath, 0);
  return [...found].sort();
}
