/** Plain-text table for terminals: columns padded to their widest cell. */
export function renderTable(header: string[], rows: string[][]): string {
  const clean = (s: string) => s.replace(/[\r\n\t]/g, ' ');
  const all = [header, ...rows.map((r) => r.map(clean))];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n') + '\n';
}
