// Entry of the Schema Diff panel's bundle (dist/webview/schemaDiff.js).
import '../common/jitless';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import baseCss from '../common/base.css';
import { adoptStyles } from '../common/dom';
import { connectSchemaDiff } from './schemaDiffConnection';
import { SchemaDiffApp } from './schemaDiffApp';
import css from './schemaDiff.css';

adoptStyles(baseCss, css);
document.body.classList.add('panel');
new SchemaDiffApp(document.getElementById('app')!, connectSchemaDiff()).start();
