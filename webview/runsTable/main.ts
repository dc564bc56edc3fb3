// Entry of the Runs table's bundle (dist/webview/runsTable.js).
import '../common/jitless';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import baseCss from '../common/base.css';
import { adoptStyles } from '../common/dom';
import { HostConnection } from '../common/hostConnection';
import { createRunsTableProtocol } from '../../src/shared/protocol/runsTable';
import { RunsTableApp, type PageState, type RunsTableConnection } from './runsTableApp';
import css from './runsTable.css';

adoptStyles(baseCss, css);
document.body.classList.add('panel');
const host: RunsTableConnection = new HostConnection(createRunsTableProtocol().hostMessage, (saved) => (saved && typeof saved === 'object' ? saved : {}) as Partial<PageState>);
new RunsTableApp(document.getElementById('app')!, host).start();
