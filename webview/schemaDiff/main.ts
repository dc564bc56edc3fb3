// Entry of the Schema Diff panel's bundle (dist/webview/schemaDiff.js). `./jitless` comes first:
// it switches zod to jitless mode before any module defines a schema.
import './jitless';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import baseCss from '../common/base.css';
import { adoptStyles } from '../common/dom';
import { HostConnection } from './hostConnection';
import { SchemaDiffApp } from './schemaDiffApp';
import css from './schemaDiff.css';

adoptStyles(baseCss, css);
document.body.classList.add('panel');
new SchemaDiffApp(document.getElementById('app')!, new HostConnection()).start();
