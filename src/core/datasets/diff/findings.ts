import {
  compareSeverity, severityAtLeast,
  type ColumnComparison, type Finding, type FindingKind, type Severity,
} from '../../../shared/schemaDiff';

const MAX_LISTED_VALUES = 10;

/** Collects findings and hands them back in the diff's deterministic order. */
export class FindingCollector {
  private readonly items: Finding[] = [];

  add(kind: FindingKind, severity: Severity, column: string | undefined, message: string, extra: Partial<Finding> = {}): void {
    this.items.push({ kind, severity, ...(column !== undefined && { column }), message, ...extra });
  }

  /** Findings about `column` added so far. */
  about(column: string): Finding[] {
    return this.items.filter((f) => f.column === column);
  }

  sorted(): Finding[] {
    return [...this.items].sort(compareFindings);
  }

  counts(): Record<Severity, number> {
    const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
    for (const f of this.items) counts[f.severity]++;
    return counts;
  }
}

function compareText(a: string | undefined, b: string | undefined): number {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

export function compareFindings(a: Finding, b: Finding): number {
  return compareSeverity(a.severity, b.severity) || compareText(a.column, b.column) || compareText(a.kind, b.kind) || compareText(a.message, b.message);
}

export function compareColumns(a: ColumnComparison, b: ColumnComparison): number {
  return compareText(a.name, b.name) || compareText(a.a?.name, b.a?.name);
}

/** The most severe of the findings, if any. */
export function worstOf(findings: readonly Finding[]): Severity | undefined {
  let worst: Severity | undefined;
  for (const f of findings) if (worst === undefined || severityAtLeast(f.severity, worst)) worst = f.severity;
  return worst;
}

/** Up to ten values for a finding, with how many more there were. */
export function listValues(values: readonly string[]): Pick<Finding, 'values' | 'moreValues'> {
  const sorted = [...values].sort(compareText);
  return sorted.length > MAX_LISTED_VALUES
    ? { values: sorted.slice(0, MAX_LISTED_VALUES), moreValues: sorted.length - MAX_LISTED_VALUES }
    : { values: sorted };
}

/** "a, b, c and 4 more" with each value quoted. */
export function quoteValues(values: readonly string[], more = 0): string {
  const shown = values.map((v) => JSON.stringify(v)).join(', ');
  return more > 0 ? `${shown} and ${more} more` : shown;
}

/** Numbers in messages: integers as is, others to 6 significant digits. */
export function num(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6)));
}
