/**
 * The objectives users picked for studies whose files state none (KerasTuner, MLflow parents,
 * Hydra multiruns, sweep names), kept for the workspace. The Runs view and the Sweep panel both
 * ask the store with them, so a best trial reads the same in both.
 */
import * as vscode from 'vscode';
import type { ObjectiveChoice } from '../../shared/sweepTypes';
import { Disposable } from '../disposable';

const KEY = 'exptrack.sweepObjectives';

export class ObjectiveChoices extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<string>());
  /** Fires with the study whose objective was picked or cleared. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {
    super();
  }

  all(): Record<string, ObjectiveChoice> {
    const saved = this.state.get<unknown>(KEY);
    if (!saved || typeof saved !== 'object') return {};
    return Object.fromEntries(Object.entries(saved as Record<string, unknown>).filter((e): e is [string, ObjectiveChoice] => isChoice(e[1])));
  }

  get(studyUid: string): ObjectiveChoice | undefined {
    return this.all()[studyUid];
  }

  /** Picks the objective of a study; undefined goes back to the one inferred. */
  async set(studyUid: string, choice: ObjectiveChoice | undefined): Promise<void> {
    const next = this.all();
    if (choice) next[studyUid] = choice;
    else delete next[studyUid];
    await this.state.update(KEY, next);
    this.changed.fire(studyUid);
  }
}

function isChoice(v: unknown): v is ObjectiveChoice {
  const c = v as ObjectiveChoice | undefined;
  return typeof c?.name === 'string' && (c.direction === 'minimize' || c.direction === 'maximize');
}
