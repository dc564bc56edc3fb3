/** Splits one line of a CSV (or TSV) file as Python's csv module writes it: quoted cells with `""` escapes. */

/** The cells of `line`, or undefined when a quote is left open (a damaged line). */
export function splitDelimitedRow(line: string, sep: string): string[] | undefined {
  if (!line.includes('"')) return line.split(sep);
  const cells: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  while (i < line.length) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        cell += ch;
      }
    } else if (ch === '"' && cell === '') {
      quoted = true;
    } else if (ch === sep) {
      cells.push(cell);
      cell = '';
    } else {
      cell += ch;
    }
    i++;
  }
  if (quoted) return undefined;
  cells.push(cell);
  return cells;
}
