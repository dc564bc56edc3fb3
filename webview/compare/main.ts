// Entry of the Compare panel's bundle (dist/webview/compare.js).
import '../common/jitless';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-multi-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import baseCss from '../common/base.css';
import { adoptStyles } from '../common/dom';
import { connectCompare } from './compareConnection';
import { PanelApp } from './panelApp';
import panelCss from './panel.css';
import type { PanelState } from './panelState';

adoptStyles(baseCss, panelCss);
new PanelApp(document.getElementById('app')!, connectCompare<PanelState>()).start();
