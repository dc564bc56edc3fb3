/**
 * Reads metrics from a training process's output as it streams, so a script that only prints
 * its losses still gets metric curves. See metricLine.ts for what is recognised by default and
 * stdoutPatterns.ts for user patterns.
 *
 * Steps: a step marker (`Epoch 3/10`, `step=120`, `iter 50`) sets the current step, which later
 * lines use until the next marker. The number printed is the step (`Epoch 3/10` → 3, not 2), so
 * what the user sees is what the chart shows. When a line has several markers, the finest wins
 * (global step, then step, then iteration, then epoch) and the epoch is kept as a metric `epoch`.
 * Before any marker has been seen, each metric name counts its own occurrences (`loss=0.5` printed
 * three times gives steps 0, 1, 2); a line's metrics share one step, the highest of their counts.
 */
import { extractLineMetrics, parseMetricNumber, type StepMarkerKind } from './metricLine';
import type { CompiledStdoutPattern } from './stdoutPatterns';
import { DEFAULT_MAX_LINE_LENGTH, TerminalLineAssembler, visibleText } from './terminalLines';

/** The metrics of one output line. Values may be NaN or ±Infinity. */
export interface StdoutMetricRecord {
  step: number;
  values: Record<string, number>;
}

export interface StdoutMetricParserOptions {
  /** User patterns (compiled with compileStdoutPatterns); tried before the built-in recognition. */
  patterns?: readonly CompiledStdoutPattern[];
  /** Whether the built-in recognition runs (default true). */
  builtInPatterns?: boolean;
  /** Lines longer than this are skipped (default 64 KiB). */
  maxLineLength?: number;
}

interface FoundMetrics {
  metrics: Array<[string, number]>;
  steps: Array<{ kind: StepMarkerKind | 'custom'; value: number }>;
}

const STEP_PRIORITY: Record<StepMarkerKind | 'custom', number> = {
  custom: 0, global_step: 1, step: 2, iteration: 3, epoch: 4,
};

/**
 * A streaming parser of process output into metric records. Output may arrive in chunks cut
 * anywhere; the records only depend on the text, never on where it was cut. Streams (stdout and
 * stderr) keep separate partial lines and share the current step. Never throws.
 */
export class StdoutMetricParser {
  private readonly assemblers = new Map<string, TerminalLineAssembler>();
  private readonly occurrences = new Map<string, number>();
  private currentStep: number | undefined;
  private readonly patterns: readonly CompiledStdoutPattern[];
  private readonly builtIn: boolean;
  private readonly maxLineLength: number;

  constructor(options: StdoutMetricParserOptions = {}) {
    this.patterns = options.patterns ?? [];
    this.builtIn = options.builtInPatterns ?? true;
    this.maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  }

  /** Adds a chunk of output from `stream`; returns the records of the lines it completed. */
  push(chunk: string, stream = 'output'): StdoutMetricRecord[] {
    let assembler = this.assemblers.get(stream);
    if (!assembler) {
      assembler = new TerminalLineAssembler(this.maxLineLength);
      this.assemblers.set(stream, assembler);
    }
    return this.parseLines(assembler.push(chunk));
  }

  /** Ends all streams: the records of their unfinished last lines. */
  end(): StdoutMetricRecord[] {
    const records: StdoutMetricRecord[] = [];
    for (const assembler of this.assemblers.values()) records.push(...this.parseLines(assembler.end()));
    return records;
  }

  /** The step the next metrics without a marker would get, if a marker has been seen. */
  get step(): number | undefined {
    return this.currentStep;
  }

  private parseLines(lines: string[]): StdoutMetricRecord[] {
    const records: StdoutMetricRecord[] = [];
    for (const line of lines) {
      let record: StdoutMetricRecord | undefined;
      try {
        record = this.parseLine(visibleText(line));
      } catch {
        record = undefined; // a pathological line must not stop the capture
      }
      if (record) records.push(record);
    }
    return records;
  }

  private parseLine(line: string): StdoutMetricRecord | undefined {
    let found: FoundMetrics = this.matchCustomPatterns(line);
    if (found.metrics.length === 0 && found.steps.length === 0 && this.builtIn) found = extractLineMetrics(line);
    const { metrics, steps } = found;

    let marker: { kind: StepMarkerKind | 'custom'; value: number } | undefined;
    for (const s of steps) if (!marker || STEP_PRIORITY[s.kind] < STEP_PRIORITY[marker.kind]) marker = s;
    if (marker) this.currentStep = marker.value;
    if (metrics.length === 0) return undefined;

    const values = new Map<string, number>(metrics);
    const epoch = steps.find((s) => s.kind === 'epoch');
    if (marker && marker.kind !== 'epoch' && epoch && !values.has('epoch')) values.set('epoch', epoch.value);
    return { step: this.stepFor([...values.keys()]), values: Object.fromEntries(values) };
  }

  private stepFor(keys: string[]): number {
    if (this.currentStep !== undefined) return this.currentStep;
    const step = Math.max(...keys.map((k) => this.occurrences.get(k) ?? 0));
    for (const k of keys) this.occurrences.set(k, step + 1);
    return step;
  }

  private matchCustomPatterns(line: string): FoundMetrics {
    const metrics: Array<[string, number]> = [];
    const steps: FoundMetrics['steps'] = [];
    for (const pattern of this.patterns) {
      for (const m of line.matchAll(pattern.regex)) {
        const groups = m.groups ?? {};
        if (groups.step !== undefined) {
          const step = Number(groups.step.trim());
          if (Number.isSafeInteger(step)) steps.push({ kind: 'custom', value: step });
        }
        const key = pattern.fixedKey ?? groups.key;
        const value = groups.value === undefined ? undefined : parseMetricNumber(groups.value);
        if (key && value !== undefined) metrics.push([key, value]);
      }
    }
    return { metrics, steps };
  }
}
