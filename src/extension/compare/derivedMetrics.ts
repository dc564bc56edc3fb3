import * as vscode from 'vscode';
import { parseDerived } from '../../shared/compare/derivedExpression';
import { Disposable } from '../disposable';

/** Kept per workspace, so every Compare panel shows the same derived metrics, now and next time. */
const DERIVED_KEY = 'exptrack.compare.derivedMetrics';
const MAX_DERIVED = 100;

/** The derived metrics (expressions over metric keys) the user added in a Compare panel. */
export class DerivedMetrics extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<readonly string[]>());
  readonly onDidChange = this.changed.event;
  private list: string[];

  constructor(private readonly state: vscode.Memento) {
    super();
    const saved = state.get<unknown>(DERIVED_KEY, []);
    this.list = Array.isArray(saved) ? saved.filter(isExpression).slice(0, MAX_DERIVED) : [];
  }

  get expressions(): readonly string[] {
    return this.list;
  }

  /** Sets the list (expressions that do not parse are left out). */
  async set(expressions: readonly string[]): Promise<void> {
    const next = [...new Set(expressions.filter(isExpression))].slice(0, MAX_DERIVED);
    if (next.join('\u0000') === this.list.join('\u0000')) return;
    this.list = next;
    this.changed.fire(next);
    await this.state.update(DERIVED_KEY, next);
  }
}

function isExpression(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  try {
    parseDerived(v);
    return true;
  } catch {
    return false;
  }
}
