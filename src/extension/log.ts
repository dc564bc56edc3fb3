import * as vscode from 'vscode';
import type { SourceProblem } from '../shared/runTypes';

/** The "ExpTrack" Output channel: what the extension did, and what it could not read. */
export class Log implements vscode.Disposable {
  readonly channel = vscode.window.createOutputChannel('ExpTrack', { log: true });

  info(message: string): void {
    this.channel.info(message);
  }

  warn(message: string): void {
    this.channel.warn(message);
  }

  error(message: string): void {
    this.channel.error(message);
  }

  problem(p: SourceProblem): void {
    const text = `${p.path}${p.line !== null ? `:${p.line}` : ''}: ${p.message}`;
    if (p.severity === 'error') this.channel.error(text);
    else if (p.severity === 'warning') this.channel.warn(text);
    else this.channel.info(text);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
