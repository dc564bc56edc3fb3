import * as assert from 'node:assert/strict';
import { readTableLog, type TableLogState } from '../../../src/core/ingest/readers/common/tableLog';
import type { SourceProblem } from '../../../src/shared/runTypes';

/** Reads `text` in pieces cut at `cuts`, carrying offset, line and state as the source tracker does. */
function readAll(text: string, cuts: number[] = []) {
  const bytes = Buffer.from(text);
  const rows: Array<[number, string[]]> = [];
  const problems: SourceProblem[] = [];
  let offset = 0;
  let line = 1;
  let state: TableLogState | undefined;
  for (const end of [...cuts.filter((c) => c > 0 && c < bytes.length), bytes.length]) {
    if (end <= offset) continue;
    const r = readTableLog({ path: '/x', relPath: 'log.csv', bytes: bytes.subarray(offset, end), offset, line, state, atEnd: end === bytes.length }, problems, {
      sniff: (header) => (header.includes('\t') ? '\t' : ','),
      onRow: (cells, _header, at) => rows.push([at, cells]),
    });
    offset += r.consumed;
    line += r.lines;
    state = r.state;
  }
  return { rows, problems, offset, state };
}

describe('table logs through the CSV tokenizer', () => {
  it('keeps a quoted cell with a line break, a delimiter and "" in one row, with the row\'s first line', () => {
    const { rows, problems } = readAll('step,note,loss\n0,"two\nlines",0.5\n1,"a, ""b""",0.25\n2,plain,0.125\n');
    assert.deepEqual(rows, [[2, ['0', 'two\nlines', '0.5']], [4, ['1', 'a, "b"', '0.25']], [5, ['2', 'plain', '0.125']]]);
    assert.deepEqual(problems, []);
  });

  it('gives the same rows however the bytes arrive, and waits for a row still being written', () => {
    const text = 'step,note,loss\r\n0,"x\ny",0.5\r\n1,z,0.25\r\n2,"open';
    const whole = readAll(text);
    assert.deepEqual(whole.rows.map(([l]) => l), [2, 4]);
    assert.equal(whole.offset, text.indexOf('2,"open'), 'the unfinished row is left for the next read');
    for (let cut = 1; cut < text.length; cut++) assert.deepEqual(readAll(text, [cut]).rows, whole.rows, `cut at ${cut}`);
  });

  it('skips a quote that never closes with its line, and keeps the rows after it', () => {
    const after = Array.from({ length: 150 }, (_, i) => `${i + 2},ok,${i}`).join('\n');
    const { rows, problems } = readAll(`step,note,loss\n1,"broken,0.5\n${after}\n`);
    assert.deepEqual(problems.map((p) => [p.line, p.message]), [[2, 'unterminated quote: row skipped']]);
    assert.equal(rows.length, 150);
    assert.deepEqual(rows[0], [3, ['2', 'ok', '0']]);
  });

  it('reports a ragged row and binary data with their lines, and passes over a file that is not a log', () => {
    const { rows, problems } = readAll('step,loss\n0,0.5\n1\n2,\u00000\n3,0.25\n');
    assert.deepEqual(rows.map(([l]) => l), [2, 5]);
    assert.deepEqual(problems.map((p) => [p.line, p.message]), [
      [3, 'row has 1 cells but the header has 2: row skipped'], [4, 'binary data in a text line: line skipped']]);
    const bytes = Buffer.from('not,a,log\n1,2,3\n');
    const foreign = readTableLog({ path: '/x', relPath: 'x.csv', bytes, offset: 0, line: 1, state: undefined, atEnd: true }, [], {
      sniff: () => undefined, onRow: () => assert.fail('no rows from a foreign file'),
    });
    assert.deepEqual([foreign.consumed, foreign.lines, foreign.state.foreign], [bytes.length, 2, true]);
  });
});
