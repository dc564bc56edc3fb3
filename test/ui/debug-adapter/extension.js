// Test-only extension loaded beside ExpTrack in UI tests (installed into the test server's
// extensions folder): a debug adapter for type `debugpy` that starts `python3 program args`
// and speaks just enough of the Debug Adapter Protocol for a launch to run and end.
// Does nothing unless EXPTRACK_TEST=1.
'use strict';
const vscode = require('vscode');
const { PythonStandInAdapter } = require('./adapter');

function activate(context) {
  if (process.env.EXPTRACK_TEST !== '1') return;
  context.subscriptions.push(vscode.debug.registerDebugAdapterDescriptorFactory('debugpy', {
    createDebugAdapterDescriptor: () => new vscode.DebugAdapterInlineImplementation(new PythonStandInAdapter(vscode)),
  }));
}

module.exports = { activate, deactivate() {} };
