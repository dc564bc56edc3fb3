/**
 * Turns what a terminal showed into what a log file should hold: the output of a command read
 * through VS Code's shell integration starts with its marks (`ESC ] 633 ; C BEL`), has colour
 * escapes and `\r\n` line ends (the terminal's line discipline adds the `\r`). The cleaned text
 * has no escape sequences and `\n` line ends; a lone `\r` (a progress bar redrawing its line) is
 * kept, as in the output of a process read through a pipe.
 */

/** An OSC sequence longer than this without its terminator is dropped rather than held. */
const MAX_PENDING = 4096;

/** Complete escape sequences, tried at an ESC in this order. */
const COMPLETE = [
  /\x1b\[[0-?]*[ -/]*[@-~]/y, // CSI: colours, cursor moves, erase line
  /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/y, // OSC: titles, shell-integration marks, hyperlinks
  /\x1b[()][0-9A-Za-z]/y, // character-set selection
  /\x1b[0-Z\\^-~]/y, // other two-character escapes (not `[` or `]`, which start longer ones)
];
/** The start of a sequence that a later chunk may complete. */
const UNFINISHED = /\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*\x1b?|[()])?$/y;

/**
 * Cleans terminal output chunk by chunk; the result does not depend on where chunks were cut.
 * Never throws.
 */
export class TerminalOutputCleaner {
  private pending = '';

  /** The cleaned text of `chunk`; an unfinished escape or a trailing `\r` waits for the next chunk. */
  push(chunk: string): string {
    const text = this.pending + chunk;
    this.pending = '';
    let out = '';
    let i = 0;
    while (i < text.length) {
      const esc = text.indexOf('\x1b', i);
      const plainEnd = esc < 0 ? text.length : esc;
      out += text.slice(i, plainEnd);
      if (esc < 0) {
        i = text.length;
        break;
      }
      const length = completeSequenceAt(text, esc);
      if (length > 0) {
        i = esc + length;
        continue;
      }
      UNFINISHED.lastIndex = esc;
      if (UNFINISHED.test(text) && text.length - esc <= MAX_PENDING) {
        this.pending = text.slice(esc);
        i = text.length;
        break;
      }
      i = esc + 1; // a stray ESC
    }
    if (out.endsWith('\r')) {
      // Its `\n` may come with the next chunk (possibly after an escape sequence).
      this.pending = '\r' + this.pending;
      out = out.slice(0, -1);
    }
    return out.replace(/\r\n/g, '\n');
  }

  /** The rest at the end of the output: a held `\r`; an unfinished escape is dropped. */
  end(): string {
    const rest = this.pending.startsWith('\r') ? '\r' : '';
    this.pending = '';
    return rest;
  }
}

function completeSequenceAt(text: string, at: number): number {
  for (const re of COMPLETE) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (m) return m[0].length;
  }
  return 0;
}
