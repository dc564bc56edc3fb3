/**
 * Turns a stream of terminal output into the lines a person would see once it has finished:
 * progress bars (tqdm, Keras) redraw a line with `\r`, so only the text after the last `\r`
 * before each `\n` counts; colour escapes and backspaces are removed.
 */

/** Lines longer than this (64 KiB) are skipped rather than buffered. */
export const DEFAULT_MAX_LINE_LENGTH = 64 * 1024;

/**
 * Splits chunks of output into finished lines, whatever the chunk boundaries are.
 * A line is the final `\r`-separated segment before a `\n` (a `\r\n` line end keeps its text);
 * a segment longer than `maxLineLength` makes the line be skipped, unless a later `\r` redraws it.
 * Memory stays bounded by `maxLineLength` however long a line without `\n` goes on.
 */
export class TerminalLineAssembler {
  private segment = '';
  private carriageReturnPending = false;
  private overflowed = false;

  constructor(private readonly maxLineLength = DEFAULT_MAX_LINE_LENGTH) {}

  /** Adds a chunk of output; returns the lines it completed (raw: escapes not yet removed). */
  push(chunk: string): string[] {
    const lines: string[] = [];
    const breaks = /[\r\n]/g;
    let position = 0;
    for (let match = breaks.exec(chunk); match; match = breaks.exec(chunk)) {
      this.append(chunk.slice(position, match.index));
      if (match[0] === '\n') {
        if (!this.overflowed) lines.push(this.segment);
        this.reset();
      } else {
        this.carriageReturnPending = true;
      }
      position = match.index + 1;
    }
    this.append(chunk.slice(position));
    return lines;
  }

  /** Ends the stream: the unfinished last line, if any. */
  end(): string[] {
    const last = !this.overflowed && this.segment !== '' ? [this.segment] : [];
    this.reset();
    return last;
  }

  private append(text: string): void {
    if (text === '') return;
    if (this.carriageReturnPending) {
      // Text after a `\r` overwrites the line: start a new segment.
      this.segment = '';
      this.overflowed = false;
      this.carriageReturnPending = false;
    }
    if (this.overflowed) return;
    if (this.segment.length + text.length > this.maxLineLength) {
      this.overflowed = true;
      this.segment = '';
      return;
    }
    this.segment += text;
  }

  private reset(): void {
    this.segment = '';
    this.carriageReturnPending = false;
    this.overflowed = false;
  }
}

const ESCAPE_SEQUENCES = new RegExp(
  [
    String.raw`\x1b\[[0-?]*[ -/]*[@-~]`, // CSI: colours, cursor moves, erase line
    String.raw`\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?`, // OSC: titles, shell-integration marks
    String.raw`\x1b[()][0-9A-Za-z]`, // character-set selection
    String.raw`\x1b[@-Z\\-_]`, // other two-character escapes
    String.raw`\x9b[0-?]*[ -/]*[@-~]`, // 8-bit CSI
  ].join('|'),
  'g',
);
const OTHER_CONTROL_CHARACTERS = /[\x00-\x08\x0b-\x1f\x7f]/g;

/** The visible text of one line: escape sequences removed, backspaces applied, controls dropped. */
export function visibleText(line: string): string {
  let text = line.replace(ESCAPE_SEQUENCES, '');
  if (text.includes('\b')) text = applyBackspaces(text);
  return text.replace(OTHER_CONTROL_CHARACTERS, '');
}

function applyBackspaces(text: string): string {
  const kept: string[] = [];
  for (const ch of text) {
    if (ch === '\b') kept.pop();
    else kept.push(ch);
  }
  return kept.join('');
}
