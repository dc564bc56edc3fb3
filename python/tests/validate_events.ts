/**
 * Checks events.jsonl files against the run-event schema, for the Python client's tests:
 *   node_modules/.bin/tsx python/tests/validate_events.ts FILE...
 * Prints one JSON object per file line ({file, line, kind, type | message}) and exits 1 when any
 * line is not a known, valid event.
 */
import * as fs from 'node:fs';
import { parseRunEventLine } from '../../src/shared/runEvents';

let bad = 0;
for (const file of process.argv.slice(2)) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((text, i) => {
    const parsed = parseRunEventLine(text);
    if (parsed.kind === 'event') {
      console.log(JSON.stringify({ file, line: i + 1, kind: parsed.kind, type: parsed.event.t }));
    } else {
      bad++;
      const detail = parsed.kind === 'unknown' ? { type: parsed.type } : { message: parsed.message };
      console.log(JSON.stringify({ file, line: i + 1, kind: parsed.kind, ...detail }));
    }
  });
}
process.exit(bad ? 1 : 0);
