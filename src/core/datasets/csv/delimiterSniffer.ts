import { CsvTokenizer, type CsvRowSink } from './csvTokenizer';

export const CANDIDATE_DELIMITERS = [',', '\t', ';', '|'] as const;
const ROWS_TO_SAMPLE = 50;

export interface DelimiterGuess {
  delimiter: string;
  /** Share of sampled rows with the most common field count (1 = perfectly consistent). */
  consistency: number;
  fieldsPerRow: number;
  /** True when no candidate splits the rows into more than one field. */
  singleColumn: boolean;
}

/** Field counts of the first rows of `sample` when split on `delimiter` (quote-aware). */
function fieldCounts(sample: Buffer, delimiter: string, isWholeFile: boolean): number[] {
  const counts: number[] = [];
  const tokenizer = new CsvTokenizer(delimiter.charCodeAt(0));
  const sink: CsvRowSink = {
    row: (_buf, t) => {
      if (counts.length < ROWS_TO_SAMPLE) counts.push(t.count);
    },
    unterminatedQuote: () => undefined,
  };
  tokenizer.scan(sample, 0, sample.length, isWholeFile, sink);
  return counts;
}

/**
 * Picks the delimiter that splits the first rows into the same number (> 1) of fields most
 * consistently; ties go to the file's extension (`preferred`), then to more fields.
 */
export function sniffDelimiter(sample: Buffer, preferred: string, isWholeFile: boolean): DelimiterGuess {
  let best: DelimiterGuess | null = null;
  const order = [preferred, ...CANDIDATE_DELIMITERS.filter((d) => d !== preferred)];
  for (const delimiter of order) {
    const counts = fieldCounts(sample, delimiter, isWholeFile);
    if (counts.length === 0) continue;
    const freq = new Map<number, number>();
    for (const c of counts) freq.set(c, (freq.get(c) ?? 0) + 1);
    let mode = 0;
    let modeFreq = 0;
    for (const [c, f] of freq) {
      if (f > modeFreq || (f === modeFreq && c > mode)) {
        mode = c;
        modeFreq = f;
      }
    }
    if (mode <= 1) continue;
    const guess: DelimiterGuess = { delimiter, consistency: modeFreq / counts.length, fieldsPerRow: mode, singleColumn: false };
    if (
      best === null ||
      guess.consistency > best.consistency + 1e-9 ||
      (Math.abs(guess.consistency - best.consistency) <= 1e-9 && guess.fieldsPerRow > best.fieldsPerRow && best.delimiter !== preferred)
    ) {
      best = guess;
    }
  }
  return best ?? { delimiter: preferred, consistency: 1, fieldsPerRow: 1, singleColumn: true };
}

/** The candidate delimiters other than `used` that occur in a header line. */
export function otherDelimitersIn(header: string, used: string): string[] {
  return CANDIDATE_DELIMITERS.filter((d) => d !== used && header.includes(d));
}

export function describeDelimiter(d: string): string {
  return d === '\t' ? 'tab' : `'${d}'`;
}
