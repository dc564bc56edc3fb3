// A NotebookController for `jupyter-notebook` that runs each cell as its own `python3 -c` process,
// like a kernel that keeps no state between cells. It numbers executions the way a Jupyter kernel
// does (restart() sets the counter back), sets `__vsc_ipynb_file__` as VS Code's Jupyter support
// does, and puts the repository's python/ folder (exptrack.py) on PYTHONPATH. Test use only.
'use strict';
const { spawn } = require('child_process');
const path = require('path');

const PYTHON_CLIENT_DIR = path.resolve(__dirname, '../../../python');

/** @param {typeof import('vscode')} vscode */
function createPythonController(vscode, { id = 'exptrack-test-python', python = process.env.EXPTRACK_TEST_PYTHON || 'python3', clientDir = PYTHON_CLIENT_DIR } = {}) {
  const controller = vscode.notebooks.createNotebookController(id, 'jupyter-notebook', 'Python 3 (ExpTrack test)');
  controller.supportedLanguages = ['python'];
  controller.supportsExecutionOrder = true;
  let counter = 0;
  controller.executeHandler = async (cells, notebook) => {
    for (const cell of cells) {
      const execution = controller.createNotebookCellExecution(cell);
      execution.executionOrder = ++counter;
      execution.start(Date.now());
      await execution.clearOutput();
      const prelude = `import __main__; __main__.__vsc_ipynb_file__ = ${JSON.stringify(notebook.uri.fsPath)}\n`;
      const { code, stdout, stderr } = await run(python, prelude + cell.document.getText(), path.dirname(notebook.uri.fsPath), clientDir);
      const outputs = [];
      if (stdout) outputs.push(new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.stdout(stdout)]));
      if (stderr) outputs.push(new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.stderr(stderr)]));
      await execution.replaceOutput(outputs);
      execution.end(code === 0, Date.now());
    }
  };
  // Offered first for every Jupyter notebook, so it is picked without a kernel prompt.
  const prefer = (notebook) => {
    if (notebook.notebookType === 'jupyter-notebook') controller.updateNotebookAffinity(notebook, vscode.NotebookControllerAffinity.Preferred);
  };
  vscode.workspace.notebookDocuments.forEach(prefer);
  const onOpen = vscode.workspace.onDidOpenNotebookDocument(prefer);
  return {
    controller,
    /** Like a kernel restart: the execution counter starts again at 1. */
    restart() {
      counter = 0;
    },
    dispose() {
      onOpen.dispose();
      controller.dispose();
    },
  };
}

function run(python, code, cwd, clientDir) {
  return new Promise((resolve) => {
    const env = { ...process.env, PYTHONPATH: [clientDir, process.env.PYTHONPATH].filter(Boolean).join(path.delimiter) };
    const child = spawn(python, ['-c', code], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (e) => resolve({ code: -1, stdout, stderr: stderr + String(e) }));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

module.exports = { createPythonController };
