/**
 * Splits a command line as a POSIX shell (bash, zsh, sh) would into simple commands and their
 * words, so a line that terminal shell integration reports (`VAR=x python "my train.py" --lr 0.1
 * > log.txt && echo done`) can be matched and its arguments read.
 *
 * What is done: quotes (`'…'`, `"…"`, `$'…'`) and backslash escapes are removed as the shell
 * removes them; `;`, `&&`, `||`, `|`, `|&`, `&`, newlines and parentheses separate commands;
 * redirections (`> f`, `2>&1`, `&>> f`, `<<< s`, …) are dropped with their targets; a `#` at the
 * start of a word starts a comment. What is not done: variables, `$(…)`, backticks, `~` and globs
 * are left as written (the shell would expand them; a command line alone cannot say to what).
 */

/** One simple command: its words after quote removal, redirections left out. */
export interface ShellCommand {
  words: string[];
}

/** Characters that end a word and are not part of it. */
const BLANK = /[ \t]/;
const SEPARATOR_START = /[;&|()\n]/;

/**
 * The simple commands of `line`, in order; empty commands (`;;`, a lone `&`) are left out.
 * Undefined when the line is unfinished: an unclosed quote, `$(` or backtick.
 * Never throws.
 */
export function splitShellCommandLine(line: string): ShellCommand[] | undefined {
  try {
    return new Splitter(line).run();
  } catch (e) {
    if (e instanceof Unfinished) return undefined;
    throw e;
  }
}

/**
 * The first line the shell will read and run from `text`. Shell integration can report lines
 * typed ahead (while the previous command ran) as one command line, though the shell runs them
 * one by one and reports each again as it starts. A newline inside quotes or after a backslash
 * does not end the line. The whole text when it has no complete first line.
 */
export function firstShellLine(text: string): string {
  for (let p = text.indexOf('\n'); p >= 0; p = text.indexOf('\n', p + 1)) {
    const head = text.slice(0, p);
    if (head.endsWith('\\') || splitShellCommandLine(head) === undefined) continue;
    return head.replace(/\r$/, '');
  }
  return text;
}

class Unfinished extends Error {}

class Splitter {
  private i = 0;
  private readonly commands: ShellCommand[] = [];
  private words: string[] = [];

  constructor(private readonly s: string) {}

  run(): ShellCommand[] {
    const s = this.s;
    while (this.i < s.length) {
      const c = s[this.i]!;
      if (BLANK.test(c) || c === '\r') {
        this.i++;
      } else if (c === '\\' && s[this.i + 1] === '\n') {
        this.i += 2; // line continuation between words
      } else if (c === '#') {
        const end = s.indexOf('\n', this.i);
        this.i = end < 0 ? s.length : end;
      } else if (SEPARATOR_START.test(c) && !this.isRedirectionAhead()) {
        this.endCommand();
        this.i += s.startsWith('&&', this.i) || s.startsWith('||', this.i) || s.startsWith('|&', this.i) || s.startsWith(';;', this.i) ? 2 : 1;
      } else {
        this.readWordOrRedirection();
      }
    }
    this.endCommand();
    return this.commands;
  }

  /** `&>` and `&>>` are redirections, not a background `&`. */
  private isRedirectionAhead(): boolean {
    return this.s[this.i] === '&' && this.s[this.i + 1] === '>';
  }

  private endCommand(): void {
    if (this.words.length > 0) this.commands.push({ words: this.words });
    this.words = [];
  }

  /** Reads one word; when it turns out to be a redirection (`2>`, `>>`, `&>`), skips it and its target. */
  private readWordOrRedirection(): void {
    const s = this.s;
    const start = this.i;
    // An all-digit prefix directly before `<` or `>` is a file descriptor number.
    let j = this.i;
    while (j < s.length && s[j]! >= '0' && s[j]! <= '9') j++;
    if (s[j] === '<' || s[j] === '>' || (j === start && s[j] === '&' && s[j + 1] === '>')) {
      this.i = j;
      this.skipRedirection();
      return;
    }
    const word = this.readWord();
    this.words.push(word);
  }

  private skipRedirection(): void {
    const s = this.s;
    if (s[this.i] === '&') this.i++; // &> and &>>
    const op = /^(?:<<<|<<-|<<|<>|<&|>>|>&|>\||<|>)/.exec(s.slice(this.i, this.i + 3));
    this.i += op ? op[0].length : 1;
    // `2>&1` and `>&-`: the target is glued to the operator.
    while (this.i < s.length && BLANK.test(s[this.i]!)) this.i++;
    if (this.i < s.length && !SEPARATOR_START.test(s[this.i]!)) this.readWord();
  }

  /** One word with quotes and escapes removed; stops at a blank, a separator or a redirection. */
  private readWord(): string {
    const s = this.s;
    let out = '';
    while (this.i < s.length) {
      const c = s[this.i]!;
      if (BLANK.test(c) || c === '\r' || SEPARATOR_START.test(c)) break;
      if ((c === '<' || c === '>') && out !== '') break;
      if (c === '<' || c === '>') {
        // A word never starts with a redirection here (readWordOrRedirection handled it).
        out += c;
        this.i++;
      } else if (c === '\\') {
        const next = s[this.i + 1];
        if (next === undefined) {
          this.i++;
        } else if (next === '\n') {
          this.i += 2;
        } else {
          out += next;
          this.i += 2;
        }
      } else if (c === "'") {
        const end = s.indexOf("'", this.i + 1);
        if (end < 0) throw new Unfinished();
        out += s.slice(this.i + 1, end);
        this.i = end + 1;
      } else if (c === '"') {
        out += this.readDoubleQuoted();
      } else if (c === '$' && s[this.i + 1] === "'") {
        out += this.readAnsiCQuoted();
      } else if (c === '$' && (s[this.i + 1] === '(' || s[this.i + 1] === '{')) {
        out += this.readBalanced();
      } else if (c === '`') {
        out += this.readBackticks();
      } else {
        out += c;
        this.i++;
      }
    }
    return out;
  }

  /** `"…"`: a backslash escapes only `$`, `` ` ``, `"`, `\` and a newline. */
  private readDoubleQuoted(): string {
    const s = this.s;
    let out = '';
    this.i++;
    while (this.i < s.length) {
      const c = s[this.i]!;
      if (c === '"') {
        this.i++;
        return out;
      }
      if (c === '\\' && this.i + 1 < s.length) {
        const next = s[this.i + 1]!;
        if (next === '\n') out += '';
        else if ('$`"\\'.includes(next)) out += next;
        else out += c + next;
        this.i += 2;
      } else if (c === '$' && (s[this.i + 1] === '(' || s[this.i + 1] === '{')) {
        out += this.readBalanced();
      } else if (c === '`') {
        out += this.readBackticks();
      } else {
        out += c;
        this.i++;
      }
    }
    throw new Unfinished();
  }

  /** `$'…'` with the common C escapes. */
  private readAnsiCQuoted(): string {
    const s = this.s;
    const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };
    let out = '';
    this.i += 2;
    while (this.i < s.length) {
      const c = s[this.i]!;
      if (c === "'") {
        this.i++;
        return out;
      }
      if (c === '\\' && this.i + 1 < s.length) {
        const next = s[this.i + 1]!;
        out += escapes[next] ?? c + next;
        this.i += 2;
      } else {
        out += c;
        this.i++;
      }
    }
    throw new Unfinished();
  }

  /** `$(…)` or `${…}`, kept as written (nested parentheses and quotes inside are skipped over). */
  private readBalanced(): string {
    const s = this.s;
    const start = this.i;
    const open = s[this.i + 1]!;
    const close = open === '(' ? ')' : '}';
    let depth = 0;
    this.i += 1;
    while (this.i < s.length) {
      const c = s[this.i]!;
      if (c === '\\') {
        this.i += 2;
        continue;
      }
      if (c === "'" && open === '(') {
        const end = s.indexOf("'", this.i + 1);
        if (end < 0) throw new Unfinished();
        this.i = end + 1;
        continue;
      }
      if (c === open) depth++;
      else if (c === close) {
        depth--;
        if (depth === 0) {
          this.i++;
          return s.slice(start, this.i);
        }
      }
      this.i++;
    }
    throw new Unfinished();
  }

  private readBackticks(): string {
    const s = this.s;
    const start = this.i;
    this.i++;
    while (this.i < s.length) {
      if (s[this.i] === '\\') {
        this.i += 2;
        continue;
      }
      if (s[this.i] === '`') {
        this.i++;
        return s.slice(start, this.i);
      }
      this.i++;
    }
    throw new Unfinished();
  }
}
