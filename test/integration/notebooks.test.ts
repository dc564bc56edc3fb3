// Notebook runs inside the real extension host: a notebook executed by a python3 controller is
// recorded cell by cell (snapshots, printed metrics, exptrack.py calls joining the run), a kernel
// restart starts a new run and ends the previous one, and closing the notebook ends the last.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunDetail } from '../../src/shared/runTypes';
import { api, CLIENT_DIR, root, waitFor } from './support';

interface PythonController { controller: vscode.NotebookController; restart(): void; dispose(): void }
// Plain JS shared with the UI tests' helper extension (test/ui/notebook-controller).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createPythonController } = require('../ui/notebook-controller/pythonController') as {
  createPythonController(api: typeof vscode, opts: { id: string; clientDir: string }): PythonController;
};

function notebookJson(cells: string[]): string {
  return JSON.stringify({
    nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: cells.map((source, i) => ({ cell_type: 'code', id: `c${i}`, execution_count: null, metadata: {}, outputs: [], source })),
  }, null, 1);
}

describe('Notebook runs', function () {
  this.timeout(90_000);
  let python: PythonController;
  before(() => (python = createPythonController(vscode, { id: 'exptrack-integration-python', clientDir: CLIENT_DIR })));
  after(() => python.dispose());

  it('records executed cells as a run, joins exptrack.py calls, and starts a new run after a kernel restart', async () => {
    const a = await api();
    const file = path.join(root(), 'notebooks', 'train run.ipynb');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, notebookJson([
      'for e in range(1, 4):\n    print(f"Epoch {e}/3")\n    print(f"10/10 - loss: {1 / e:.4f} - accuracy: {e / 4:.2f}")',
      'import exptrack\nrun = exptrack.init(name="from the client")\nrun.log({"client_metric": 0.5}, step=7)\nprint("logged")',
      'print("val_loss: 0.25")',
    ]));
    // Opened as a person opens it (openNotebookDocument would keep the document alive after its editor closes).
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file));
    const doc = await waitFor('the notebook editor', () => vscode.window.activeNotebookEditor?.notebook);
    await vscode.commands.executeCommand('notebook.selectKernel', { id: python.controller.id, extension: 'exptrack.exptrack' });
    await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: 0, end: 3 }], document: doc.uri });

    const recorder = a.notebooks()!;
    const firstId = await waitFor('the notebook run', () => recorder.runIdOf(doc.uri));
    const map = JSON.parse(fs.readFileSync(path.join(root(), '.exptrack', 'notebook-runs.json'), 'utf8')) as Record<string, string>;
    assert.strictEqual(map[file], firstId);
    const first = await waitFor<RunDetail>('the cells in the index', async () => {
      await recorder.flushed();
      const run = await a.runIndex()!.call('getRun', firstId);
      return run && run.metrics.some((m) => m.key === 'val_loss') && run.metrics.some((m) => m.key === 'client_metric') ? run : undefined;
    });
    // The name given to exptrack.init() in a cell names the run (it joined the notebook's run).
    assert.deepEqual([first.name, first.experiment, first.sourceKind, first.sourcePath, first.status],
      ['from the client', 'notebooks', 'notebook', 'notebooks/train run.ipynb', 'running']);
    assert.deepEqual(first.metrics.map((m) => [m.key, m.count, m.last, m.lastStep]), [
      ['accuracy', 3, 0.75, 3], ['client_metric', 1, 0.5, 7], ['loss', 3, 0.3333, 3], ['val_loss', 1, 0.25, 3],
    ]);
    const cellsDir = path.join(root(), '.exptrack', 'runs', firstId, 'cells');
    assert.deepEqual(fs.readdirSync(cellsDir).sort(), ['1.json', '2.json', '3.json']);
    const cell2 = JSON.parse(fs.readFileSync(path.join(cellsDir, '2.json'), 'utf8'));
    assert.deepEqual([cell2.notebook, cell2.index, cell2.executionOrder, cell2.success, cell2.outputs],
      ['notebooks/train run.ipynb', 1, 2, true, [{ type: 'stream', name: 'stdout', text: 'logged\n' }]]);
    assert.match(cell2.source, /exptrack\.init/);

    // A kernel restart: the counter starts again at 1, so the next cell opens a new run.
    python.restart();
    await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: 2, end: 3 }], document: doc.uri });
    const secondId = await waitFor('a second run', () => {
      const id = recorder.runIdOf(doc.uri);
      return id !== firstId ? id : undefined;
    });
    const ended = await waitFor<RunDetail>('the first run to end', async () => {
      const run = await a.runIndex()!.call('getRun', firstId);
      return run?.status === 'finished' ? run : undefined;
    });
    assert.ok(ended.ended !== null && ended.ended >= ended.started!);

    // Saving keeps the outputs in the file; closing the notebook ends its run.
    await doc.save();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const second = await waitFor<RunDetail>('the second run to end', async () => {
      const run = await a.runIndex()!.call('getRun', secondId);
      return run?.status === 'finished' ? run : undefined;
    });
    assert.deepEqual(second.metrics.map((m) => [m.key, m.last]), [['val_loss', 0.25]]);
    // The saved notebook is not imported a second time.
    const runs = await a.runIndex()!.call('listRuns');
    assert.ok(!runs.some((r) => r.uid === 'nb:notebooks/train run.ipynb'), 'no nb: import of a notebook recorded live');
  });
});
