import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DatasetProfile, Diagnostic } from '../../../src/shared/schemaDiff';
import { profileFile } from '../../../src/core/datasets/profileFile';
import { schemaDiffFiles } from '../../../src/core/datasets/schemaDiffFiles';
import { readTfdvSchema } from '../../../src/core/datasets/tfdvSchema';
import { FIXTURES, itWithFixtures } from '../../support/fixtures';


function only(p: { diagnostics: Diagnostic[] }, code: string): Diagnostic {
  const found = p.diagnostics.filter((d) => d.code === code);
  assert.equal(found.length, 1, `one ${code} in ${JSON.stringify(p.diagnostics, null, 1)}`);
  return found[0];
}

function codes(p: DatasetProfile): string[] {
  return p.diagnostics.map((d) => d.code);
}

describe('bad input: a clear message with file and line, a partial result where it means something, no crash', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-bad-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: string | Buffer) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    return p;
  };

  it('ragged CSV rows: reported with line and row, skipped, the rows around them kept', async () => {
    const file = write('ragged.csv', 'a,b,c\n1,2,3\n4,5\n"multi\nline",7,8\n9,10,11,12\n13,14,15\n16,17,18,,\n');
    const p = await profileFile(file, { displayName: 'ragged.csv' });
    assert.equal(p.rowCount, 4, 'the rows with three fields, and one with empty trailing fields');
    const ragged = p.diagnostics.filter((d) => d.code === 'RAGGED_ROW');
    assert.deepEqual(ragged.map((d) => [d.line, d.row, d.file]), [[3, 2, 'ragged.csv'], [6, 4, 'ragged.csv']]);
    assert.equal(ragged[0].message, 'line 3 (row 2): 2 fields, but the header has 3; row skipped');
    assert.equal(only(p, 'TRAILING_EMPTY_FIELDS').line, 8);
    assert.equal(p.complete, true);
  });

  it('a header ending in a delimiter: rows without that unnamed column are not ragged', async () => {
    const p = await profileFile(write('trail.csv', 'a,b,\n1,2\n3,4,\n'));
    assert.deepEqual(p.columns.map((c) => `${c.name}:${c.type}:${c.missing}`), ['a:int:0', 'b:int:0', 'column_3:empty:2']);
    assert.equal(p.rowCount, 2);
    assert.deepEqual(p.diagnostics, []);
  });

  it('many ragged rows: ten listed, the rest counted, and the delimiter suspected', async () => {
    const rows = Array.from({ length: 500 }, (_, i) => `${i};${i};${i}`).join('\n');
    const p = await profileFile(write('semi.csv', `a\tb\tc\n${rows}\n`), { delimiter: '\t' });
    assert.equal(p.diagnostics.filter((d) => d.code === 'RAGGED_ROW' && d.line !== undefined).length, 10);
    const rest = p.diagnostics.find((d) => d.code === 'RAGGED_ROW' && d.occurrences !== undefined)!;
    assert.equal(rest.occurrences, 490);
    assert.match(only(p, 'DELIMITER_SUSPECT').message, /500 of 500 rows have a different number of fields than the header: the delimiter tab is probably wrong/);
  });

  it('a wrong delimiter guess: a .csv separated by semicolons is read with ";" and says so', async () => {
    const p = await profileFile(write('eu.csv', 'name;price;note\nbread;1,20;"a;b"\nmilk;0,99;x\n'));
    assert.equal(p.source.delimiter, ';');
    assert.deepEqual(p.columns.map((c) => c.name), ['name', 'price', 'note']);
    assert.match(only(p, 'DELIMITER_GUESSED').message, /separated by ';', not ','/);
  });

  it('a wrong delimiter forced: one column whose name holds another delimiter is flagged', async () => {
    const p = await profileFile(write('eu2.csv', 'name;price\nbread;1\n'), { delimiter: ',' });
    assert.equal(p.columns.length, 1);
    const d = only(p, 'DELIMITER_SUSPECT');
    assert.match(d.message, /its name contains ';': the delimiter ',' is probably wrong/);
    assert.equal(d.line, 1);
  });

  it('invalid UTF-8: line, row and column named, the bytes replaced, the rest kept', async () => {
    const bytes = Buffer.concat([Buffer.from('city,n\nParis,1\n'), Buffer.from([0x4d, 0xfc, 0x6e, 0x63, 0x68, 0x65, 0x6e]), Buffer.from(',2\nRome,3\n')]);
    const p = await profileFile(write('latin1.csv', bytes), { displayName: 'latin1.csv' });
    const d = only(p, 'INVALID_UTF8');
    assert.deepEqual([d.line, d.row, d.column, d.file], [3, 2, 'city', 'latin1.csv']);
    assert.equal(p.rowCount, 3);
    assert.ok(p.columns[0].valueCounts.some((v) => v.value === 'M\uFFFDnchen'));
  });

  itWithFixtures('a truncated Parquet file: says it is truncated, nothing else can be read, and the CLI gets no columns', async () => {
    const src = fs.readFileSync(path.join(FIXTURES, 'parquet/hyparquet-testfiles/rowgroups.parquet'));
    const file = write('cut.parquet', src.subarray(0, Math.floor(src.length / 2)));
    const p = await profileFile(file);
    const d = only(p, 'TRUNCATED_PARQUET');
    assert.match(d.message, /does not end with the Parquet footer magic PAR1: it is truncated/);
    assert.deepEqual([p.columns.length, p.complete], [0, false]);
  });

  itWithFixtures('a damaged Parquet row group: reported with its rows, the other row group kept', async () => {
    const src = Buffer.from(fs.readFileSync(path.join(FIXTURES, 'parquet/hyparquet-testfiles/rowgroups.parquet')));
    src.fill(0x55, 4, 140); // the first row group's pages
    const p = await profileFile(write('damaged.parquet', src));
    const d = only(p, 'PARQUET_ROW_GROUP');
    assert.match(d.message, /row group 1 of 2 \(rows 1–10\) could not be read/);
    assert.equal(p.rowCount, 5);
    assert.deepEqual([p.columns[0].numeric!.min, p.columns[0].numeric!.max], [11, 15]);
  });

  itWithFixtures('a broken schema.pbtxt: the error with line and column, the features around it kept', async () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'tfx/tfx/examples/penguin/schema/raw/schema.pbtxt'), 'utf8');
    const broken = text.replace('  name: "culmen_length_mm"\n  type: FLOAT', '  name: "culmen_length_mm"\n  type FLOAT');
    const s = await readTfdvSchema(write('schema.pbtxt', broken), 'schema.pbtxt');
    const d = s.diagnostics.find((x) => x.code === 'PBTXT_SYNTAX')!;
    assert.equal(d.line, 31);
    assert.match(d.message, /line 31, column 8: expected ':' or '\{' after the field name 'type'/);
    assert.equal(s.complete, false);
    assert.deepEqual(s.features.map((f) => f.name), ['body_mass_g', 'culmen_depth_mm', 'flipper_length_mm', 'island', 'sex', 'species']);
  });

  it('a 1 GB file that turns into binary zeros: stops at the first NUL with its line, keeps the rows before, in bounded memory', async function () {
    this.timeout(30_000);
    const file = path.join(dir, 'huge.csv');
    const head = `a,b\n${Array.from({ length: 2000 }, (_, i) => `${i},x${i % 7}`).join('\n')}\n`;
    fs.writeFileSync(file, head);
    fs.truncateSync(file, 1024 ** 3); // sparse: 1 GiB on paper, zeros after the rows
    const rssBefore = process.memoryUsage.rss();
    const started = Date.now();
    const p = await profileFile(file);
    const grewMB = (process.memoryUsage.rss() - rssBefore) / 2 ** 20;
    assert.equal(p.rowCount, 2000);
    const d = only(p, 'BINARY_CONTENT');
    assert.equal(d.line, 2002);
    assert.equal(d.offset, Buffer.byteLength(head));
    assert.equal(p.complete, false);
    assert.equal(p.source.bytes, 1024 ** 3);
    assert.ok(Date.now() - started < 10_000, 'does not read the whole gigabyte');
    assert.ok(grewMB < 100, `memory grew ${grewMB.toFixed(0)} MB`);
  });

  it('a row that never ends stops reading with its line instead of buffering without bound', async () => {
    const p = await profileFile(write('long.csv', `a,b\n1,2\n3,"${'x'.repeat(300_000)}`), { maxRecordBytes: 100_000, chunkBytes: 65536 });
    const d = only(p, 'ROW_TOO_LONG');
    assert.equal(d.line, 3);
    assert.equal(p.rowCount, 1);
    assert.equal(p.complete, false);
  });

  it('a quote that is never closed: the row and the rest dropped, with the line where it opened', async () => {
    const p = await profileFile(write('open.csv', 'a,b\n1,2\n3,"oops\n4,5\n'));
    assert.equal(only(p, 'UNTERMINATED_QUOTE').line, 3);
    assert.equal(p.rowCount, 1);
  });

  it('empty files of every format: "the file is empty", no columns', async () => {
    for (const name of ['e.csv', 'e.tsv', 'e.json', 'e.jsonl', 'e.parquet']) {
      const p = await profileFile(write(name, ''));
      assert.equal(only(p, 'EMPTY_FILE').message, 'the file is empty', name);
      assert.deepEqual([p.columns.length, p.complete], [0, false], name);
    }
    const s = await readTfdvSchema(write('e.pbtxt', ''));
    assert.equal(s.diagnostics[0].code, 'EMPTY_FILE');
  });

  it('a header without rows, blank lines only, a missing file, binary and UTF-16 files', async () => {
    const headerOnly = await profileFile(write('h.csv', 'a,b\n'));
    assert.deepEqual([only(headerOnly, 'NO_ROWS').line, headerOnly.columns.map((c) => c.type)], [1, ['empty', 'empty']]);
    assert.deepEqual(codes(await profileFile(write('blank.csv', '\n\n\r\n'))), ['NO_HEADER']);
    assert.deepEqual(codes(await profileFile(path.join(dir, 'nope.csv'))), ['FILE_NOT_FOUND']);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
    assert.match(only(await profileFile(write('img.csv', png)), 'BINARY_FILE').message, /NUL byte at offset 8/);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n1,2\n', 'utf16le')]);
    assert.match(only(await profileFile(write('w.csv', utf16)), 'UNSUPPORTED_ENCODING').message, /UTF-16/);
  });

  it('JSON: a truncated array keeps the records before; a broken record is skipped with its line', async () => {
    const truncated = await profileFile(write('t.json', '[{"a": 1},\n{"a": 2},\n{"a": 3'));
    assert.equal(truncated.rowCount, 2);
    assert.equal(only(truncated, 'TRUNCATED_JSON').line, 3);
    const broken = await profileFile(write('b.json', '[{"a": 1},\n{"a": tru},\n{"a": 3}]'));
    assert.equal(broken.rowCount, 2);
    assert.equal(only(broken, 'JSON_SYNTAX').line, 2);
    const notArray = await profileFile(write('n.json', '"just a string"'));
    assert.match(only(notArray, 'NOT_JSON_ARRAY').message, /expected a JSON array of records/);
  });

  it('stops when aborted and says how far it got', async () => {
    const file = write('big.csv', `a\n${'1\n'.repeat(200_000)}`);
    const controller = new AbortController();
    const p = await profileFile(file, { chunkBytes: 4096, signal: controller.signal, onProgress: (read) => { if (read > 8192) controller.abort(); } });
    assert.match(only(p, 'ABORTED').message, /stopped after 12\.0 KiB of 390\.6 KiB/);
    assert.ok(p.rowCount > 0 && p.rowCount < 200_000);
    assert.equal(p.complete, false);
  });

  it('diffing against an unreadable side compares nothing rather than calling every column removed', async () => {
    const good = write('good.csv', 'a,b\n1,2\n');
    const d = await schemaDiffFiles(good, write('empty.csv', ''));
    assert.equal(d.b.usable, false);
    assert.deepEqual([d.columns, d.findings], [[], []]);
    assert.equal(d.b.diagnostics[0].code, 'EMPTY_FILE');
  });
});
