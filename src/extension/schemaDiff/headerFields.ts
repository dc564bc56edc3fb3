/** The fields of a CSV/TSV header line and where each one is, for pointing at a column in Problems. */

/** Header fields with their character ranges; quoted fields unquoted, the delimiter guessed. */
export function splitHeader(line: string): { name: string; start: number; end: number }[] {
  const delimiter = guessDelimiter(line);
  const fields: { name: string; start: number; end: number }[] = [];
  let i = 0;
  while (i <= line.length) {
    const start = i;
    let name = '';
    if (line[i] === '"') {
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          name += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else {
          name += line[i++];
        }
      }
      while (i < line.length && line[i] !== delimiter) name += line[i++];
    } else {
      while (i < line.length && line[i] !== delimiter) name += line[i++];
    }
    // Named as the CSV reader names them: as written, `column_<n>` when empty.
    fields.push({ name: name === '' ? `column_${fields.length + 1}` : name, start, end: i });
    i++;
  }
  return fields;
}

function guessDelimiter(line: string): string {
  let best = ',';
  let bestCount = 0;
  for (const d of [',', '\t', ';', '|']) {
    const count = line.split(d).length - 1;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}
