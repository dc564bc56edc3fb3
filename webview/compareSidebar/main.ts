// Entry of the Compare side-bar view's bundle (dist/webview/compareSidebar.js).
import '../common/jitless';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import baseCss from '../common/base.css';
import { adoptStyles } from '../common/dom';
import { connectCompare } from '../compare/compareConnection';
import { SidebarApp, type SidebarState } from './sidebarApp';
import sidebarCss from './sidebar.css';

adoptStyles(baseCss, sidebarCss);
new SidebarApp(document.getElementById('app')!, connectCompare<SidebarState>()).start();
