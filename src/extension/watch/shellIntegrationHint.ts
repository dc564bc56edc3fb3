import * as vscode from 'vscode';
import { Disposable } from '../disposable';
import type { WatchSettings } from './watchSettings';

const SHOWN_KEY = 'exptrack.watch.shellIntegrationHintShown';
/** Shell integration activates within a second or two of a shell starting; give it longer. */
const GRACE_MS = 4000;
const DOCS = 'https://code.visualstudio.com/docs/terminal/shell-integration';

/**
 * Tells the user once (ever, per machine) how to turn on shell integration, when they type into a
 * terminal that does not have it: without it, commands typed there cannot be recorded.
 */
export class ShellIntegrationHint extends Disposable {
  private readonly checked = new WeakSet<vscode.Terminal>();

  constructor(private readonly globalState: vscode.Memento, private readonly settings: WatchSettings) {
    super();
    this.register(vscode.window.onDidChangeTerminalState((terminal) => this.interacted(terminal)));
  }

  private interacted(terminal: vscode.Terminal): void {
    if (!terminal.state.isInteractedWith || this.checked.has(terminal) || !isUserShell(terminal)) return;
    this.checked.add(terminal);
    const timer = setTimeout(() => {
      if (terminal.shellIntegration || terminal.exitStatus || !this.settings.current.terminal) return;
      if (this.globalState.get<boolean>(SHOWN_KEY)) return;
      void this.globalState.update(SHOWN_KEY, true);
      void this.show(terminal.name);
    }, GRACE_MS);
    this.register({ dispose: () => clearTimeout(timer) });
  }

  private async show(name: string): Promise<void> {
    const openSetting = 'Open Setting';
    const learn = 'Learn More';
    const choice = await vscode.window.showInformationMessage(
      `ExpTrack cannot see the commands run in the terminal "${name}": it has no shell integration. ` +
      'Turn on "terminal.integrated.shellIntegration.enabled" and use bash, zsh, fish or PowerShell ' +
      '(for a custom shell setup, add the shell integration script to its rc file), then open a new terminal.',
      openSetting, learn,
    );
    if (choice === openSetting) {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'terminal.integrated.shellIntegration.enabled');
    } else if (choice === learn) {
      await vscode.env.openExternal(vscode.Uri.parse(DOCS));
    }
  }
}

/**
 * A terminal the user opened for a shell of their own: not a pseudo-terminal, and not one that
 * tasks, debuggers or other extensions create with a name or arguments of their own (a debug
 * console terminal never gets shell integration, whatever the setting says).
 */
function isUserShell(terminal: vscode.Terminal): boolean {
  const options = terminal.creationOptions;
  if ('pty' in options) return false;
  return !options.name && options.shellArgs === undefined && !options.hideFromUser && !options.isTransient;
}
