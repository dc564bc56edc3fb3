/**
 * The protobuf text-format parser (src/core/datasets/pbtxt/) beside the one text-format parser for
 * JavaScript on npm, `prototxt-parser` (protobufjs and @bufbuild/protobuf read binary and JSON
 * only). Inputs: every .pbtxt in ../shared/fixtures (TFX schemas and anomalies). prototxt-parser
 * misreads a file that starts with a comment line, as TFX writes them, so it is given each file
 * with its whole-line comments removed; ours reads the files as they are. Both trees are compared
 * (repeated fields as arrays, as prototxt-parser gives them) before timing.
 * Figure: CPU milliseconds per MB, and the ratio to ours.
 *
 *   npm run bench -- pbtxt
 */
import * as fs from 'node:fs';
import { parse as prototxtParse } from 'prototxt-parser';
import { parsePbtxt, type PbMessage } from '../src/core/datasets/pbtxt/pbtxtParser';
import { cpuSecondsPerRun, fixtureFiles, MB, printFigures, sameOrExit } from './libraryBench';

const files = fixtureFiles((p) => p.endsWith('.pbtxt')).map((f) => {
  const text = fs.readFileSync(f.path, 'utf8');
  return { relPath: f.relPath, text, uncommented: text.replace(/^[ \t]*#.*(\r?\n|$)/gm, '') };
});
const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.text), 0);

/** Our tree in prototxt-parser's shape: a field seen again becomes an array; true/false are booleans. */
function asPlain(msg: PbMessage): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of msg.fields) {
    const v = f.value;
    const value = v.kind === 'message' ? asPlain(v) : v.kind === 'identifier' && (v.value === 'true' || v.value === 'false') ? v.value === 'true' : v.value;
    out[f.name] = Object.prototype.hasOwnProperty.call(out, f.name) ? ([] as unknown[]).concat(out[f.name], value) : value;
  }
  return out;
}

// ---- same results

const mismatches: string[] = [];
for (const f of files) {
  const ours = parsePbtxt(f.text);
  if (ours.errors.length > 0) mismatches.push(`${f.relPath}: ours reports ${ours.errors[0]!.message}`);
  let theirs: unknown;
  try {
    theirs = prototxtParse(f.uncommented);
  } catch (e) {
    mismatches.push(`${f.relPath}: prototxt-parser fails: ${(e as Error).message.split('\n').find((l) => l.trim()) ?? ''}`);
    continue;
  }
  const want = JSON.stringify(asPlain(ours.message));
  const got = JSON.stringify(theirs);
  if (got !== want) mismatches.push(`${f.relPath}: prototxt-parser ${got.slice(0, 120)}… vs ours ${want.slice(0, 120)}…`);
}
console.log(`${files.length} .pbtxt files, ${(bytes / 1024).toFixed(1)} KB`);
sameOrExit(`prototxt-parser 0.1 on all ${files.length} files (whole-line comments removed for it)`, mismatches);
if (process.exitCode) process.exit();

printFigures('protobuf text format to a tree, CPU per MB:', cpuSecondsPerRun([
  { name: 'ours (pbtxtParser.ts)', run: () => files.forEach((f) => parsePbtxt(f.text)) },
  { name: 'prototxt-parser 0.1 (parsimmon)', run: () => files.forEach((f) => prototxtParse(f.uncommented)) },
]), (1000 * MB) / bytes, 'ms/MB');
