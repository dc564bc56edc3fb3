/**
 * Profiles a CSV/TSV file in one streaming pass: guesses the delimiter from the first rows, takes
 * the first non-blank row as the header, and feeds every field's bytes to its column. Problems are
 * reported with line and row (ragged rows are skipped, invalid UTF-8 is replaced), and reading
 * stops with a message at binary content or a row that never ends.
 */
import { isUtf8 } from 'node:buffer';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { DatasetFormat, DatasetProfile } from '../../../shared/schemaDiff';
import type { ColumnAccumulator } from '../columnProfiler';
import { DatasetBuilder } from '../datasetBuilder';
import { DiagnosticCollector } from '../diagnostics';
import { formatBytes, type ResolvedProfileOptions } from '../profileOptions';
import { readFileChunks } from '../readers/fileChunks';
import * as inference from '../typeInference';
import type { FieldScratch } from '../typeInference';
import * as utf8 from '../utf8';
import { CsvRowStream } from './csvRowStream';
import * as tokens from './csvTokenizer';
import { CsvTokenizer, unescapeField, type CsvRowSink } from './csvTokenizer';
import { describeDelimiter, otherDelimitersIn, sniffDelimiter } from './delimiterSniffer';

// Read once: imported bindings are getter calls under per-file transpilation, and these run per field.
const classifyBytes = inference.classifyBytes;
const isValidUtf8 = utf8.isValidUtf8;
const K_MISSING = inference.K_MISSING;
const FIELD_MALFORMED = tokens.FIELD_MALFORMED;
const NEEDS_UNESCAPE = tokens.FIELD_ESCAPED | tokens.FIELD_MALFORMED;

const SNIFF_BYTES = 64 * 1024;
const BINARY_PROBE_BYTES = 8192;

/** Routes tokenized rows into the dataset's columns. */
class CsvProfileSink implements CsvRowSink {
  header: string[] | null = null;
  headerLine = 0;
  /** Empty names at the end of the header: rows may leave those columns out. */
  private unnamedTrailing = 0;
  private accs: ColumnAccumulator[] = [];
  dataRows = 0;
  raggedRows = 0;
  private trailingEmptyNoted = false;
  private malformedNoted = false;
  private unescaped = Buffer.allocUnsafe(4096);
  private readonly scratch: FieldScratch;

  constructor(
    private readonly builder: DatasetBuilder,
    private readonly diagnostics: DiagnosticCollector,
    private readonly quote: number,
  ) {
    this.scratch = builder.scratch;
  }

  row(buf: Buffer, t: CsvTokenizer, line: number): void {
    if (this.header === null) {
      this.setHeader(buf, t, line);
      return;
    }
    const row = ++this.dataRows;
    const ncols = this.accs.length;
    let nf = t.count;
    if (nf !== ncols) {
      if (nf < ncols && nf >= ncols - this.unnamedTrailing) {
        // The header ends with unnamed columns (a trailing delimiter) the row does not have.
        this.builder.rowCount++;
        for (let c = 0; c < nf; c++) this.addField(this.accs[c], buf, t.starts[c], t.ends[c], t.flags[c], line, row);
        return;
      }
      if (nf > ncols && this.onlyEmptyAfter(t, ncols)) {
        if (!this.trailingEmptyNoted) {
          this.trailingEmptyNoted = true;
          this.diagnostics.info('TRAILING_EMPTY_FIELDS', `line ${line} (row ${row}): ${nf - ncols} empty field(s) after the last column ignored (trailing delimiter)`, { line, row });
        }
        nf = ncols;
      } else {
        this.raggedRows++;
        this.diagnostics.warning('RAGGED_ROW', `line ${line} (row ${row}): ${nf} field${nf === 1 ? '' : 's'}, but the header has ${ncols}; row skipped`, { line, row });
        return;
      }
    }
    this.builder.rowCount++;
    for (let c = 0; c < ncols; c++) this.addField(this.accs[c], buf, t.starts[c], t.ends[c], t.flags[c], line, row);
  }

  unterminatedQuote(line: number): void {
    this.diagnostics.error('UNTERMINATED_QUOTE', `line ${line}: a quoted field opens here and is never closed; this row and the rest of the file were dropped`, { line });
  }

  private onlyEmptyAfter(t: CsvTokenizer, ncols: number): boolean {
    for (let c = ncols; c < t.count; c++) if (t.ends[c] !== t.starts[c]) return false;
    return true;
  }

  private addField(acc: ColumnAccumulator, buf: Buffer, s: number, e: number, flags: number, line: number, row: number): void {
    if (flags & NEEDS_UNESCAPE) {
      if (flags & FIELD_MALFORMED && !this.malformedNoted) {
        this.malformedNoted = true;
        this.diagnostics.warning('MALFORMED_QUOTE', `line ${line} (row ${row}), column "${acc.name}": text follows a closing quote; kept as part of the value`, { line, row, column: acc.name });
      }
      const n = this.unescape(buf, s, e, flags);
      buf = this.unescaped;
      s = 0;
      e = n;
    }
    const sc = this.scratch;
    classifyBytes(buf, s, e, sc);
    if (sc.kind === K_MISSING) return;
    acc.record(sc);
    // Bytes already counted under the same key were checked when first seen.
    const known = acc.countKnown(sc.hashHi, sc.hashLo);
    if ((!known || acc.estimating) && !sc.ascii && !isValidUtf8(buf, s, e)) {
      this.diagnostics.warning('INVALID_UTF8', `line ${line} (row ${row}), column "${acc.name}": invalid UTF-8; the bad bytes were replaced with U+FFFD`, { line, row, column: acc.name });
    }
    if (!known) acc.addNewFrom(sc);
  }

  private unescape(buf: Buffer, s: number, e: number, flags: number): number {
    if (this.unescaped.length < e - s) this.unescaped = Buffer.allocUnsafe(Math.max(e - s, this.unescaped.length * 2));
    return unescapeField(buf, s, e, flags, this.quote, this.unescaped);
  }

  private setHeader(buf: Buffer, t: CsvTokenizer, line: number): void {
    this.headerLine = line;
    const names: string[] = [];
    const seen = new Map<string, number>();
    for (let c = 0; c < t.count; c++) {
      let s = t.starts[c];
      let e = t.ends[c];
      let src = buf;
      if (t.flags[c] & NEEDS_UNESCAPE) {
        e = this.unescape(buf, s, e, t.flags[c]);
        s = 0;
        src = this.unescaped;
      }
      if (!isUtf8(src.subarray(s, e))) {
        this.diagnostics.warning('INVALID_UTF8', `line ${line}: the name of column ${c + 1} is not valid UTF-8; the bad bytes were replaced with U+FFFD`, { line });
      }
      let name = src.toString('utf8', s, e);
      if (name.length === 0) name = `column_${c + 1}`;
      const dup = seen.get(name);
      if (dup !== undefined) {
        let k = dup;
        let renamed = `${name}.${k}`;
        while (seen.has(renamed)) renamed = `${name}.${++k}`;
        seen.set(name, k + 1);
        this.diagnostics.warning('DUPLICATE_COLUMN', `line ${line}: column name "${name}" appears more than once; column ${c + 1} is called "${renamed}"`, { line, column: renamed });
        name = renamed;
      }
      seen.set(name, seen.get(name) ?? 1);
      names.push(name);
    }
    let trailing = t.count;
    while (trailing > 0 && t.ends[trailing - 1] === t.starts[trailing - 1]) trailing--;
    this.unnamedTrailing = t.count - trailing;
    this.header = names;
    this.accs = names.map((n) => this.builder.addColumn(n));
  }
}

function formatOf(filePath: string, delimiter: string): DatasetFormat {
  return delimiter === '\t' || path.extname(filePath).toLowerCase() === '.tsv' ? 'tsv' : 'csv';
}

export async function profileCsv(filePath: string, options: ResolvedProfileOptions): Promise<DatasetProfile> {
  const diagnostics = new DiagnosticCollector(options.displayName);
  const builder = new DatasetBuilder(options.settings, diagnostics);
  const preferred = path.extname(filePath).toLowerCase() === '.tsv' ? '\t' : ',';
  let delimiter = options.delimiter ?? preferred;
  let complete = true;
  let stream: CsvRowStream | null = null;
  let sink: CsvProfileSink | null = null;
  let size = 0;

  const start = (first: Buffer, isWholeFile: boolean): boolean => {
    if ((first[0] === 0xff && first[1] === 0xfe) || (first[0] === 0xfe && first[1] === 0xff)) {
      diagnostics.error('UNSUPPORTED_ENCODING', 'the file is UTF-16 encoded (byte-order mark FF FE / FE FF); save it as UTF-8', { offset: 0 });
      return false;
    }
    const nul = first.subarray(0, BINARY_PROBE_BYTES).indexOf(0);
    if (nul >= 0) {
      diagnostics.error('BINARY_FILE', `the file looks binary (a NUL byte at offset ${nul}), not delimited text`, { offset: nul });
      return false;
    }
    if (options.delimiter === undefined) {
      const guess = sniffDelimiter(first.subarray(0, SNIFF_BYTES), preferred, isWholeFile);
      delimiter = guess.delimiter;
      if (!guess.singleColumn && delimiter !== preferred) {
        diagnostics.info('DELIMITER_GUESSED', `fields are separated by ${describeDelimiter(delimiter)}, not ${describeDelimiter(preferred)} (guessed from the first rows; ${Math.round(guess.consistency * 100)}% of them have ${guess.fieldsPerRow} fields)`);
      }
    }
    const tokenizer = new CsvTokenizer(delimiter.charCodeAt(0));
    const csvSink = new CsvProfileSink(builder, diagnostics, tokenizer.quote);
    sink = csvSink;
    stream = new CsvRowStream(tokenizer, csvSink, {
      rowTooLong: (line, bytes) => {
        complete = false;
        diagnostics.error('ROW_TOO_LONG', `line ${line}: a row runs for more than ${formatBytes(bytes)} without ending (a quote left open, or not a text file?); stopped reading here`, { line });
      },
    }, options.maxRecordBytes);
    return true;
  };

  const result = await readFileChunks(filePath, options, (chunk, offset) => {
    size = Math.max(size, offset + chunk.length);
    if (stream === null && !start(chunk, chunk.length < options.chunkBytes)) {
      complete = false;
      return false;
    }
    const s = stream!;
    const nul = chunk.indexOf(0);
    if (nul >= 0) {
      s.push(chunk.subarray(0, nul));
      complete = false;
      diagnostics.error('BINARY_CONTENT', `line ${s.tokenizer.line}: a NUL byte at offset ${offset + nul}, so this is not a text file from here on; stopped reading (rows before line ${s.tokenizer.line} were kept)`, { line: s.tokenizer.line, offset: offset + nul });
      return false;
    }
    s.push(chunk);
    return !s.stopped;
  });
  size = result.totalBytes;
  if (result.stoppedBy === 'abort') {
    complete = false;
    diagnostics.warning('ABORTED', `stopped after ${formatBytes(result.bytesRead)} of ${formatBytes(result.totalBytes)}; the profile covers the rows read so far`);
  }
  const activeStream = stream as CsvRowStream | null;
  if (activeStream !== null && complete) activeStream.end();

  const finalSink = sink as CsvProfileSink | null;
  if (size === 0) {
    diagnostics.error('EMPTY_FILE', 'the file is empty');
    complete = false;
  } else if (finalSink !== null && finalSink.header === null && activeStream !== null && !activeStream.stopped) {
    diagnostics.error('NO_HEADER', 'no header row: the file holds only blank lines');
    complete = false;
  } else if (finalSink?.header) {
    if (finalSink.dataRows === 0) {
      diagnostics.warning('NO_ROWS', `line ${finalSink.headerLine}: only a header, no data rows`, { line: finalSink.headerLine });
    }
    const header = finalSink.header;
    if (header.length === 1) {
      const others = otherDelimitersIn(header[0], delimiter);
      if (others.length > 0) {
        diagnostics.warning('DELIMITER_SUSPECT', `only one column was found, and its name contains ${others.map(describeDelimiter).join(' and ')}: the delimiter ${describeDelimiter(delimiter)} is probably wrong (pass the right one with --delimiter)`, { line: finalSink.headerLine });
      }
    } else if (finalSink.dataRows > 0 && finalSink.raggedRows / finalSink.dataRows > 0.5) {
      diagnostics.warning('DELIMITER_SUSPECT', `${finalSink.raggedRows} of ${finalSink.dataRows} rows have a different number of fields than the header: the delimiter ${describeDelimiter(delimiter)} is probably wrong`);
    }
  }
  const st = await fsp.stat(filePath).catch(() => null);
  return builder.finish({ path: filePath, format: formatOf(filePath, delimiter), bytes: st?.size ?? size, delimiter }, complete);
}
