import * as vscode from 'vscode';

/** What the pseudo-terminal drives: a process started elsewhere (see runFileCommand.ts). */
export interface TerminalProcess {
  /** Interrupts like Ctrl+C in a shell; the run ends as killed. */
  stop(): void;
  writeInput(data: string): void;
}

/**
 * A terminal that shows a tracked run's output as it comes and forwards the user's keys to it:
 * Ctrl+C stops the run, closing the terminal stops it too.
 */
export class TrackingPseudoterminal implements vscode.Pseudoterminal {
  private readonly writer = new vscode.EventEmitter<string>();
  private readonly closer = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writer.event;
  readonly onDidClose = this.closer.event;
  private process: TerminalProcess | undefined;
  private ended = false;
  /** Output that arrived before VS Code opened the terminal; shown when it opens. */
  private early: string[] | undefined = [];

  attach(process: TerminalProcess): void {
    this.process = process;
  }

  open(): void {
    const early = this.early ?? [];
    this.early = undefined;
    for (const text of early) this.writer.fire(text);
  }

  close(): void {
    if (!this.ended) this.process?.stop();
  }

  handleInput(data: string): void {
    if (this.ended) {
      this.closer.fire();
      return;
    }
    if (data === '\x03') {
      this.write('^C\n');
      this.process?.stop();
      return;
    }
    // The process reads lines: echo what is typed and send Enter as a newline.
    const text = data.replace(/\r/g, '\n');
    this.write(text);
    this.process?.writeInput(text);
  }

  /** Output from the process; bare newlines become CRLF as a terminal needs. */
  write(text: string): void {
    const crlf = text.replace(/\r?\n/g, '\r\n');
    if (this.early) this.early.push(crlf);
    else this.writer.fire(crlf);
  }

  /** Shows how the run ended and leaves the output readable until a key is pressed. */
  end(summary: string): void {
    this.ended = true;
    this.write(`\n\x1b[2m${summary} — press any key to close\x1b[0m\n`);
  }

  dispose(): void {
    this.writer.dispose();
    this.closer.dispose();
  }
}
