import * as vscode from 'vscode';
import { activeWatchers, compileWatchRules, type WatchRules } from '../../core/capture/watchedCommand';
import { Disposable } from '../disposable';
import { systemMetricsInterval } from '../capture/systemMetricsSetting';
import type { Log } from '../log';

export interface WatchConfig {
  /** Each watcher is on unless its setting is false, and only in a trusted workspace. */
  terminal: boolean;
  debug: boolean;
  tasks: boolean;
  rules: WatchRules;
  stdoutPatterns: unknown;
  experiment: string | undefined;
  systemMetricsIntervalSeconds: number;
}

/** The `exptrack.watch.*` settings as the watchers use them, kept current; problems go to the log once each. */
export class WatchSettings extends Disposable {
  private value: WatchConfig;
  private readonly changed = this.register(new vscode.EventEmitter<WatchConfig>());
  readonly onDidChange = this.changed.event;
  private reported = new Set<string>();

  constructor(private readonly log: Log) {
    super();
    this.value = this.read();
    const update = () => {
      this.value = this.read();
      this.changed.fire(this.value);
    };
    this.register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('exptrack.watch') || e.affectsConfiguration('exptrack.stdoutMetricPatterns') || e.affectsConfiguration('exptrack.experiment')
        || e.affectsConfiguration('exptrack.systemMetrics')) update();
    }));
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(update));
  }

  get current(): WatchConfig {
    return this.value;
  }

  private read(): WatchConfig {
    const config = vscode.workspace.getConfiguration('exptrack');
    const watch = activeWatchers({
      terminal: config.get('watch.terminal'), debug: config.get('watch.debug'), tasks: config.get('watch.tasks'),
    }, vscode.workspace.isTrusted);
    const { rules, errors } = compileWatchRules(config.get('watch.commandPatterns'), config.get('watch.exclude'));
    for (const message of errors) {
      if (!this.reported.has(message)) this.log.warn(message);
    }
    this.reported = new Set(errors);
    return {
      ...watch,
      rules,
      stdoutPatterns: config.get('stdoutMetricPatterns', []),
      experiment: config.get<string>('experiment', '') || undefined,
      systemMetricsIntervalSeconds: systemMetricsInterval(config),
    };
  }
}
