/** A search over runs in MLflow's syntax (src/core/runs), as the CLI, the Runs tree and the Runs table ask for it. */
import type { RunSummary } from './runTypes';

export interface RunQuery {
  /** e.g. `metrics.val_loss < 0.3 and params.optimizer = 'adam'`; empty: every run. */
  filter?: string;
  /** e.g. `metrics.val_loss ASC, attributes.start_time DESC`; empty: newest start first. */
  orderBy?: string;
  maxResults?: number;
  /** Deleted runs too. */
  includeHidden?: boolean;
  /** The metric shown beside each run when it has it (see ListRunsOptions). */
  keyMetric?: string;
}

/** A syntax error in a filter or order-by: the message and the span of text it is about (offsets, end exclusive). */
export interface SearchSyntaxProblem {
  input: 'filter' | 'orderBy';
  message: string;
  start: number;
  end: number;
}

export type RunSearchResult =
  | { ok: true; runs: RunSummary[]; matched: number; total: number }
  | { ok: false; error: SearchSyntaxProblem };
