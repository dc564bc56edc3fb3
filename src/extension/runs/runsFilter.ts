import * as vscode from 'vscode';
import { compileQuery } from '../../core/runs/runSearch';
import { Disposable } from '../disposable';
import type { RunsTreeNode, RunsTreeProvider } from './runsTree';

/** Command ids of the Runs view's filter (declared in package.json). */
export const RUNS_FILTER_COMMAND_IDS = ['exptrack.filterRuns', 'exptrack.clearRunsFilter'] as const;

/** Kept per workspace, so the view opens filtered as it was left. */
const FILTER_KEY = 'exptrack.runsView.filter';

/**
 * A search filter on the Runs view (MLflow's syntax, as in the Runs table and `exptrack runs
 * --filter`): asked for in an input box that says where the text is wrong, shown as the view's
 * description and message, cleared from the view's title bar.
 */
export class RunsFilter extends Disposable {
  constructor(
    private readonly tree: RunsTreeProvider,
    private readonly view: vscode.TreeView<RunsTreeNode>,
    private readonly state: vscode.Memento,
  ) {
    super();
    this.register(tree.onDidLoad((counts) => this.describe(counts)));
    const saved = state.get<string>(FILTER_KEY, '');
    if (typeof saved === 'string' && saved && compileQuery(saved).ok) this.apply(saved);
    else void this.setContext(false);
  }

  handlers(): Record<(typeof RUNS_FILTER_COMMAND_IDS)[number], (...args: unknown[]) => unknown> {
    return {
      'exptrack.filterRuns': (text) => (typeof text === 'string' ? this.set(text) : this.ask()),
      'exptrack.clearRunsFilter': () => this.set(''),
    };
  }

  private async ask(): Promise<void> {
    const text = await vscode.window.showInputBox({
      title: 'Filter Runs',
      prompt: "MLflow's search syntax, e.g. metrics.val_loss < 0.3 and params.optimizer = 'adam' (empty: all runs)",
      value: this.tree.filter,
      validateInput: (value) => problemOf(value),
    });
    if (text !== undefined) await this.set(text.trim());
  }

  /** Applies a filter given to the command (by a test or a link); a wrong one is refused with the reason. */
  private async set(text: string): Promise<void> {
    const problem = problemOf(text);
    if (problem) {
      void vscode.window.showErrorMessage(`ExpTrack: ${problem}`);
      return;
    }
    this.apply(text);
    await this.state.update(FILTER_KEY, text);
  }

  private apply(text: string): void {
    this.tree.setFilter(text);
    this.view.description = text ? `filter: ${text}` : undefined;
    void this.setContext(text !== '');
  }

  private describe(counts: { shown: number; total: number }): void {
    if (!this.tree.filter) {
      // Leave other messages (e.g. Restricted Mode's) alone.
      if (this.view.message?.startsWith('Filtered:')) this.view.message = undefined;
      return;
    }
    const n = (x: number) => x.toLocaleString('en-US');
    this.view.message = `Filtered: ${n(counts.shown)} of ${n(counts.total)} runs match ${this.tree.filter}`;
  }

  private setContext(on: boolean): Thenable<unknown> {
    return vscode.commands.executeCommand('setContext', 'exptrack.runsFiltered', on);
  }
}

/** Where and why a filter is wrong, for the input box; undefined when it is fine. */
function problemOf(text: string): string | undefined {
  const compiled = compileQuery(text);
  if (compiled.ok) return undefined;
  const { start, message } = compiled.error;
  const at = text.slice(start, Math.max(compiled.error.end, start + 1)) || 'the end';
  return `Column ${start + 1} (at ${at === 'the end' ? at : `"${at}"`}): ${message}`;
}
