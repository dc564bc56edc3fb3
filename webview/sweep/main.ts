// Entry of the Sweep panel's bundle (dist/webview/sweep.js).
import '../common/jitless';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import baseCss from '../common/base.css';
import parallelCoordinatesCss from '../compare/parallelCoordinates.css';
import { adoptStyles } from '../common/dom';
import { HostConnection } from '../common/hostConnection';
import { createSweepProtocol } from '../../src/shared/protocol/sweep';
import { SweepApp, type PageState, type SweepConnection } from './sweepApp';
import css from './sweep.css';

adoptStyles(baseCss, css, parallelCoordinatesCss);
document.body.classList.add('panel');
const host: SweepConnection = new HostConnection(createSweepProtocol().hostMessage, (saved) => (saved && typeof saved === 'object' ? saved : {}) as Partial<PageState>);
new SweepApp(document.getElementById('app')!, host).start();
