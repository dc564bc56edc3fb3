/**
 * Tokens of protobuf text format (the `.pbtxt` files TFDV and TFX write): identifiers, strings in
 * single or double quotes with C escapes (octal escapes are bytes, so `"\303\251"` is "é"),
 * numbers (decimal, hex, octal, floats with an optional `f`), punctuation, and `#` comments.
 */

export type Token =
  | { t: 'ident'; v: string; line: number; col: number }
  | { t: 'string'; v: string; bytes: Buffer; line: number; col: number }
  | { t: 'number'; v: number; text: string; line: number; col: number }
  | { t: 'punct'; v: string; line: number; col: number }
  | { t: 'eof'; line: number; col: number }
  | { t: 'error'; message: string; line: number; col: number };

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fF]?)/y;
const PUNCT = '{}<>:,;[]/.-';

const SIMPLE_ESCAPES: Record<string, number> = {
  a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, "'": 39, '"': 34, '?': 63,
};

export class PbtxtLexer {
  pos = 0;
  line = 1;
  private lineStart = 0;
  private peeked: Token | null = null;

  constructor(readonly text: string) {}

  peek(): Token {
    if (this.peeked === null) this.peeked = this.read();
    return this.peeked;
  }

  next(): Token {
    const tok = this.peek();
    this.peeked = null;
    return tok;
  }

  /** Moves to the start of `line` (1-based) at character offset `offset`. */
  jumpTo(offset: number, line: number): void {
    this.pos = offset;
    this.line = line;
    this.lineStart = offset;
    this.peeked = null;
  }

  private read(): Token {
    const s = this.text;
    for (;;) {
      if (this.pos >= s.length) return { t: 'eof', line: this.line, col: this.pos - this.lineStart + 1 };
      const c = s[this.pos];
      if (c === '\n') {
        this.pos++;
        this.line++;
        this.lineStart = this.pos;
      } else if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
        this.pos++;
      } else if (c === '#') {
        const nl = s.indexOf('\n', this.pos);
        this.pos = nl < 0 ? s.length : nl;
      } else {
        break;
      }
    }
    const line = this.line;
    const col = this.pos - this.lineStart + 1;
    const c = s[this.pos];
    if (c === '"' || c === "'") return this.readString(line, col);
    IDENT.lastIndex = this.pos;
    let m = IDENT.exec(s);
    if (m) {
      this.pos += m[0].length;
      return { t: 'ident', v: m[0], line, col };
    }
    NUMBER.lastIndex = this.pos;
    m = NUMBER.exec(s);
    if (m) {
      this.pos += m[0].length;
      return { t: 'number', v: numberValue(m[0]), text: m[0], line, col };
    }
    if (PUNCT.includes(c)) {
      this.pos++;
      return { t: 'punct', v: c, line, col };
    }
    this.pos++;
    const shown = c.charCodeAt(0) < 0x20 ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : c;
    return { t: 'error', message: `unexpected character '${shown}'`, line, col };
  }

  private readString(line: number, col: number): Token {
    const s = this.text;
    const quote = s[this.pos++];
    const bytes: number[] = [];
    let runStart = this.pos;
    const flushRun = (end: number) => {
      if (end > runStart) for (const b of Buffer.from(s.slice(runStart, end), 'utf8')) bytes.push(b);
    };
    for (;;) {
      if (this.pos >= s.length || s[this.pos] === '\n') {
        return { t: 'error', message: `string opened at column ${col} is not closed on its line`, line, col };
      }
      const c = s[this.pos];
      if (c === quote) {
        flushRun(this.pos);
        this.pos++;
        const raw = Buffer.from(bytes);
        return { t: 'string', v: raw.toString('utf8'), bytes: raw, line, col };
      }
      if (c !== '\\') {
        this.pos++;
        continue;
      }
      flushRun(this.pos);
      const e = s[this.pos + 1];
      if (e === undefined || e === '\n') return { t: 'error', message: 'a backslash ends the line inside a string', line, col };
      if (e in SIMPLE_ESCAPES) {
        bytes.push(SIMPLE_ESCAPES[e]);
        this.pos += 2;
      } else if (e >= '0' && e <= '7') {
        let j = this.pos + 1;
        let v = 0;
        while (j < s.length && j < this.pos + 4 && s[j] >= '0' && s[j] <= '7') v = v * 8 + (s.charCodeAt(j++) - 48);
        bytes.push(v & 0xff);
        this.pos = j;
      } else if (e === 'x' || e === 'X') {
        let j = this.pos + 2;
        let v = 0;
        while (j < s.length && j < this.pos + 4 && /[0-9a-fA-F]/.test(s[j])) v = v * 16 + parseInt(s[j++], 16);
        if (j === this.pos + 2) return { t: 'error', message: '\\x without hex digits in a string', line, col };
        bytes.push(v);
        this.pos = j;
      } else if (e === 'u' || e === 'U') {
        const n = e === 'u' ? 4 : 8;
        const hex = s.slice(this.pos + 2, this.pos + 2 + n);
        const cp = /^[0-9a-fA-F]+$/.test(hex) && hex.length === n ? parseInt(hex, 16) : -1;
        if (cp < 0 || cp > 0x10ffff) return { t: 'error', message: `\\${e} needs ${n} hex digits of a valid code point`, line, col };
        for (const b of Buffer.from(String.fromCodePoint(cp), 'utf8')) bytes.push(b);
        this.pos += 2 + n;
      } else {
        return { t: 'error', message: `unknown escape '\\${e}' in a string`, line, col };
      }
      runStart = this.pos;
    }
  }
}

function numberValue(text: string): number {
  const t = text.replace(/[fF]$/, '');
  if (/^0[xX]/.test(t)) return parseInt(t.slice(2), 16);
  if (/^0[0-7]+$/.test(t)) return parseInt(t, 8);
  return Number(t);
}
