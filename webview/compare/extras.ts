// The part of the Compare panel loaded after its first charts are drawn: the component library
// (buttons, text fields, selects, checkboxes of the toolbar, the legend and the other tabs) and
// those tabs themselves. Elements made before it arrives upgrade when it defines them.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';

export { AnalysisTabs } from './analysisTabs';
export { SlicesView } from './slicesView';
