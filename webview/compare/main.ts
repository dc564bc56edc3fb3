// Entry of the Compare panel's bundle (dist/webview/compare.js, an ES module): what the first
// charts need; the rest (extras.ts) is imported once they are drawn.
import '../common/jitless';
import baseCss from '../common/base.css';
import parallelCoordinatesCss from './parallelCoordinates.css';
import { adoptStyles } from '../common/dom';
import { connectCompare } from './compareConnection';
import { PanelApp } from './panelApp';
import panelCss from './panel.css';
import type { PanelState } from './panelState';

adoptStyles(baseCss, panelCss, parallelCoordinatesCss);
new PanelApp(document.getElementById('app')!, connectCompare<PanelState>(), () => import('./extras')).start();
