import type { Diagnostic, Severity } from '../../shared/schemaDiff';

/** How many problems of one code are listed one by one before the rest are only counted. */
const DEFAULT_DETAILED_PER_CODE = 10;

/**
 * Collects the problems met while reading one file. A broken file can produce millions of the same
 * problem (every row ragged), so each code is listed a few times and the rest summed up.
 */
export class DiagnosticCollector {
  private readonly listed: Diagnostic[] = [];
  private readonly perCode = new Map<string, { shown: number; hidden: number; severity: Severity }>();

  constructor(
    readonly file: string,
    private readonly detailedPerCode = DEFAULT_DETAILED_PER_CODE,
  ) {}

  add(d: Omit<Diagnostic, 'file'>): void {
    const entry = this.perCode.get(d.code) ?? { shown: 0, hidden: 0, severity: d.severity };
    this.perCode.set(d.code, entry);
    if (entry.shown < this.detailedPerCode) {
      entry.shown++;
      this.listed.push({ ...d, file: this.file });
    } else {
      entry.hidden++;
    }
  }

  error(code: string, message: string, where: Partial<Diagnostic> = {}): void {
    this.add({ ...where, severity: 'error', code, message });
  }

  warning(code: string, message: string, where: Partial<Diagnostic> = {}): void {
    this.add({ ...where, severity: 'warning', code, message });
  }

  info(code: string, message: string, where: Partial<Diagnostic> = {}): void {
    this.add({ ...where, severity: 'info', code, message });
  }

  count(code: string): number {
    const e = this.perCode.get(code);
    return e ? e.shown + e.hidden : 0;
  }

  hasErrors(): boolean {
    return this.listed.some((d) => d.severity === 'error');
  }

  /** The listed problems in the order met, plus one summary line per code that overflowed. */
  toArray(): Diagnostic[] {
    const out = [...this.listed];
    for (const [code, e] of this.perCode) {
      if (e.hidden > 0) {
        out.push({
          severity: e.severity,
          code,
          file: this.file,
          message: `${e.hidden} more of the same (${code}) not listed`,
          occurrences: e.hidden,
        });
      }
    }
    return out;
  }
}
