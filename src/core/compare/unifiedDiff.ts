/**
 * Reading a git patch (what capture writes as a run's `code.patch`) into per-file hunks, so a
 * run's code can be rebuilt in memory from its commit: the user's working tree and index are
 * never touched. Lines the format does not know (e.g. `# exptrack:` notes) are skipped.
 */

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** Body lines with their ' ', '-' or '+' prefix, without the line end. */
  lines: string[];
  /** `\ No newline at end of file` followed the old side's last line. */
  oldNoNewlineAtEnd: boolean;
  /** The same for the new side. */
  newNoNewlineAtEnd: boolean;
}

export interface FilePatch {
  /** Path before the change, relative to the repository top; null for a new file. */
  oldPath: string | null;
  /** Path after the change; null for a deleted file. */
  newPath: string | null;
  /** A binary change: its content cannot be rebuilt from the patch text. */
  binary: boolean;
  hunks: Hunk[];
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

export function parseUnifiedDiff(text: string): FilePatch[] {
  const lines = text.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  const files: FilePatch[] = [];
  let file: FilePatch | undefined;
  let i = 0;
  const startFile = (oldPath: string | null, newPath: string | null) => {
    file = { oldPath, newPath, binary: false, hunks: [] };
    files.push(file);
  };

  while (i < lines.length) {
    const line = stripCr(lines[i]!);
    if (line.startsWith('diff --git ')) {
      const paths = gitHeaderPaths(line.slice('diff --git '.length));
      startFile(paths?.[0] ?? null, paths?.[1] ?? null);
      i++;
      continue;
    }
    if (line.startsWith('--- ') && i + 1 < lines.length && stripCr(lines[i + 1]!).startsWith('+++ ')) {
      const oldPath = patchPath(line.slice(4));
      const newPath = patchPath(stripCr(lines[i + 1]!).slice(4));
      // A plain unified diff (no `diff --git` line) starts its file here.
      if (!file || file.hunks.length > 0) startFile(oldPath, newPath);
      else {
        file.oldPath = oldPath;
        file.newPath = newPath;
      }
      i += 2;
      continue;
    }
    if (file) {
      if (line.startsWith('new file mode')) file.oldPath = null;
      else if (line.startsWith('deleted file mode')) file.newPath = null;
      else if (line.startsWith('rename from ')) file.oldPath = line.slice('rename from '.length);
      else if (line.startsWith('rename to ')) file.newPath = line.slice('rename to '.length);
      else if (line.startsWith('GIT binary patch') || /^Binary files .* differ$/.test(line)) file.binary = true;
      else if (HUNK_HEADER.test(line)) {
        const [hunk, next] = readHunk(lines, i);
        file.hunks.push(hunk);
        i = next;
        continue;
      }
    }
    i++;
  }
  return files;
}

function readHunk(lines: string[], at: number): [Hunk, number] {
  const m = HUNK_HEADER.exec(stripCr(lines[at]!))!;
  const hunk: Hunk = {
    oldStart: Number(m[1]),
    oldLines: m[2] === undefined ? 1 : Number(m[2]),
    newStart: Number(m[3]),
    newLines: m[4] === undefined ? 1 : Number(m[4]),
    lines: [],
    oldNoNewlineAtEnd: false,
    newNoNewlineAtEnd: false,
  };
  let oldLeft = hunk.oldLines;
  let newLeft = hunk.newLines;
  let i = at + 1;
  let lastKind = '';
  while (i < lines.length) {
    const raw = lines[i]!;
    if (raw.startsWith('\\')) {
      // `\ No newline at end of file` belongs to the line before it.
      if (lastKind === '-' || lastKind === ' ') hunk.oldNoNewlineAtEnd = true;
      if (lastKind === '+' || lastKind === ' ') hunk.newNoNewlineAtEnd = true;
      i++;
      continue;
    }
    if (oldLeft <= 0 && newLeft <= 0) break;
    // An empty line inside a hunk is a context line whose space was trimmed by an editor.
    const kind = raw === '' ? ' ' : raw[0]!;
    if (kind !== ' ' && kind !== '-' && kind !== '+') break;
    hunk.lines.push(raw === '' ? ' ' : raw);
    if (kind !== '+') oldLeft--;
    if (kind !== '-') newLeft--;
    lastKind = kind;
    i++;
  }
  return [hunk, i];
}

/** `a/x b/x` → ['x', 'x'] when both halves can be told apart (paths with spaces are ambiguous). */
function gitHeaderPaths(rest: string): [string, string] | undefined {
  const quoted = /^"a\/((?:[^"\\]|\\.)*)" "b\/((?:[^"\\]|\\.)*)"$/.exec(rest);
  if (quoted) return [unquote(quoted[1]!), unquote(quoted[2]!)];
  if (!rest.startsWith('a/')) return undefined;
  const half = (rest.length - 1) / 2;
  const left = rest.slice(0, half);
  const right = rest.slice(half + 1);
  if (Number.isInteger(half) && right.startsWith('b/') && left.slice(2) === right.slice(2)) return [left.slice(2), right.slice(2)];
  const split = rest.indexOf(' b/');
  return split < 0 ? undefined : [rest.slice(2, split), rest.slice(split + 3)];
}

/** The path of a `---`/`+++` line: null for /dev/null, without the a/ or b/ prefix and a trailing tab + date. */
function patchPath(spec: string): string | null {
  let p = spec.replace(/\t.*$/, '');
  if (p.startsWith('"') && p.endsWith('"')) p = unquote(p.slice(1, -1));
  if (p === '/dev/null') return null;
  return p.replace(/^[ab]\//, '');
}

/** Git's C-style quoting of unusual file names (octal escapes are UTF-8 bytes). */
function unquote(s: string): string {
  const bytes: number[] = [];
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch !== '\\') {
      bytes.push(...Buffer.from(ch, 'utf8'));
      continue;
    }
    const next = s[i + 1] ?? '';
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(s.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(simple[next] ?? next.charCodeAt(0));
      i++;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
