// Test-only extension loaded beside ExpTrack in UI tests (a second extensionDevelopmentPath):
// provides a python3 notebook controller. Does nothing unless EXPTRACK_TEST=1.
'use strict';
const vscode = require('vscode');
const { createPythonController } = require('./pythonController');

function activate(context) {
  if (process.env.EXPTRACK_TEST !== '1') return;
  const python = createPythonController(vscode);
  context.subscriptions.push(python, vscode.commands.registerCommand('exptrackTest.restartKernel', () => python.restart()));
}

module.exports = { activate, deactivate() {} };
