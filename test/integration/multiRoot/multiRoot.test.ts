// A multi-root workspace inside the real extension host (scripts/test-integration.mjs --multi-root
// opens test/integration/multiRoot/workspace/multi-root.code-workspace): every folder has its own
// index, started only when used; the Runs view groups by folder and names runs by folder and uid
// (the same uid in two folders stays two runs); Compare merges runs of two folders; a run recorded
// for a file of the second folder lands in that folder's .exptrack/; commands that need a folder
// ask; a folder added while open brings its runs and takes them away when removed.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ExpTrackApi } from '../../../src/extension/extension';
import type { RunsViewNode } from '../../../src/extension/runs/runsView';
import type { RunDetail } from '../../../src/shared/runTypes';
import { CLIENT_DIR, waitForWithin } from '../support';

const waitFor = waitForWithin(30_000);

interface PythonController { controller: vscode.NotebookController; dispose(): void }
// Plain JS shared with the UI tests' helper extension (test/ui/notebook-controller).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createPythonController } = require('../../ui/notebook-controller/pythonController') as {
  createPythonController(api: typeof vscode, opts: { id: string; clientDir: string }): PythonController;
};

const workspaceDir = () => process.env.EXPTRACK_TEST_WORKSPACE!;
const folderUri = (name: string) => vscode.Uri.file(path.join(workspaceDir(), name));
const inFolder = (name: string, ...rel: string[]) => path.join(workspaceDir(), name, ...rel);

/** The extension's API once activated, without asking for every folder to be ready. */
async function activated(): Promise<ExpTrackApi> {
  return vscode.extensions.getExtension<ExpTrackApi>('exptrack.exptrack')!.activate();
}

/** Answers the next quick pick with the item labelled `label`, keeping what was offered. */
function answerQuickPick(label: string): { offered: Promise<{ title?: string; labels: string[] }>; dispose(): void } {
  const w = vscode.window as unknown as Record<string, unknown>;
  const original = w.showQuickPick;
  let done!: (seen: { title?: string; labels: string[] }) => void;
  const offered = new Promise<{ title?: string; labels: string[] }>((resolve) => (done = resolve));
  w.showQuickPick = async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>, options?: vscode.QuickPickOptions) => {
    w.showQuickPick = original;
    const list = await items;
    done({ title: options?.title, labels: list.map((i) => i.label) });
    return list.find((i) => i.label === label);
  };
  return { offered, dispose: () => (w.showQuickPick = original) };
}

async function children(tree: NonNullable<ReturnType<ExpTrackApi['runsTree']>>, node?: RunsViewNode): Promise<RunsViewNode[]> {
  return tree.getChildren(node);
}

describe('Multi-root workspace', function () {
  this.timeout(120_000);
  let a: ExpTrackApi;
  // Activation only: the first test checks what starts before anything asks for every folder.
  before(async () => (a = await activated()));
  // Each later test (also run alone with --grep) starts from every folder read.
  beforeEach(async function () {
    if (this.currentTest?.title.startsWith('starts the folders')) return;
    await a.ready;
  });

  it('starts the folders that have runs with the extension, and a folder with nothing to track only when it is used', async () => {
    await waitFor('the indexes of alpha and beta', () => (a.folderIndex(folderUri('alpha')) && a.folderIndex(folderUri('beta')) ? true : undefined));
    assert.strictEqual(a.folderIndex(folderUri('empty')), undefined, 'nothing started for the folder without runs');
    await a.ready;
    const [alpha, beta, empty] = ['alpha', 'beta', 'empty'].map((name) => a.folderIndex(folderUri(name))!);
    assert.ok(empty, 'asked for, the empty folder has an index too');
    assert.strictEqual(alpha.dbPath, inFolder('alpha', '.exptrack', 'exptrack.sqlite'));
    assert.strictEqual(beta.dbPath, inFolder('beta', '.exptrack', 'exptrack.sqlite'));
    assert.ok(empty.dbPath && !empty.dbPath.startsWith(workspaceDir()), `the empty folder's index is kept outside it: ${empty.dbPath}`);
    assert.ok(!fs.existsSync(inFolder('empty', '.exptrack')), 'nothing is written into the empty folder');
    assert.strictEqual(a.runIndex(), alpha, 'runIndex() is the first folder\'s');
  });

  it('indexes each folder\'s runs separately: the same uid in two folders is two runs', async () => {
    const list = async (name: string) => (await a.folderIndex(folderUri(name))!.call('listRuns')).map((r) => r.uid).sort();
    assert.deepStrictEqual(await list('alpha'), ['alpha-solo', 'twin']);
    assert.deepStrictEqual(await list('beta'), ['beta-solo', 'twin']);
    assert.deepStrictEqual(await list('empty'), []);
    const twin = async (name: string) => (await a.folderIndex(folderUri(name))!.call('getRun', 'twin'))!.params.lr;
    assert.deepStrictEqual([await twin('alpha'), await twin('beta')], [0.1, 0.2]);
  });

  it('groups the Runs view by folder, each with its own runs or notice, and names runs by folder and uid', async () => {
    const tree = a.runsTree()!;
    const roots = await children(tree);
    assert.deepStrictEqual(roots.map((n) => n.kind), ['folder', 'folder', 'folder']);
    assert.deepStrictEqual(roots.map((n) => tree.getTreeItem(n).label), ['alpha', 'beta', 'empty']);
    assert.deepStrictEqual(roots.map((n) => tree.getTreeItem(n).description), ['2 runs', '2 runs', '0 runs']);

    const runItems = async (folder: RunsViewNode) => {
      const items: vscode.TreeItem[] = [];
      for (const experiment of await children(tree, folder)) {
        for (const run of await children(tree, experiment)) items.push(tree.getTreeItem(run));
      }
      return items;
    };
    const alphaItems = await runItems(roots[0]!);
    const betaItems = await runItems(roots[1]!);
    assert.deepStrictEqual(alphaItems.map((i) => i.label).sort(), ['alpha solo', 'twin']);
    assert.deepStrictEqual(betaItems.map((i) => i.label).sort(), ['beta solo', 'twin']);
    const ids = [...alphaItems, ...betaItems].map((i) => i.id);
    assert.strictEqual(new Set(ids).size, ids.length, `item ids never meet across folders: ${ids.join(', ')}`);
    assert.ok(ids.includes('alpha/run:twin') && ids.includes('beta/run:twin'), ids.join(', '));

    const [notice] = await children(tree, roots[2]);
    assert.strictEqual(notice?.kind, 'notice');
    assert.strictEqual(tree.getTreeItem(notice!).label, 'No runs yet: run a script with tracking');
    assert.strictEqual(tree.getTreeItem(notice!).command?.command, 'exptrack.runFileWithTracking');

    const keys = (await tree.load()).map((r) => r.uid).sort();
    assert.deepStrictEqual(keys, ['alpha/alpha-solo', 'alpha/twin', 'beta/beta-solo', 'beta/twin']);
  });

  it('groups the Models view by folder, each folder\'s registry with its own models', async () => {
    const tree = a.modelsTree()!;
    const roots = await waitFor('the models of both folders', async () => {
      const nodes = await tree.getChildren();
      const models = await Promise.all(nodes.slice(0, 2).map((n) => tree.getChildren(n)));
      return models.every((m) => m.some((c) => c.kind === 'model')) ? nodes : undefined;
    });
    assert.deepStrictEqual(roots.map((n) => tree.getTreeItem(n).label), ['alpha', 'beta', 'empty']);
    for (const folder of roots.slice(0, 2)) {
      const [model] = (await tree.getChildren(folder)).filter((c) => c.kind === 'model');
      assert.ok(model && model.kind === 'model');
      assert.strictEqual(model.model.name, 'classifier');
      const versions = await tree.getChildren(model);
      assert.strictEqual(versions.length, 1, 'one version in each folder\'s registry, not two in one');
    }
    const [notice] = await tree.getChildren(roots[2]);
    assert.strictEqual(notice?.kind, 'notice');
    assert.strictEqual(tree.getTreeItem(notice!).label, 'No model versions yet');
  });

  it('compares runs of two folders: ticked in the tree, merged for the Compare panel', async () => {
    const tree = a.runsTree()!;
    tree.setChecked(['beta/twin', 'alpha/twin', 'beta/beta-solo']);
    assert.deepStrictEqual(tree.checkedRuns, ['beta/twin', 'alpha/twin', 'beta/beta-solo']);
    const roots = await children(tree);
    const ticked: string[] = [];
    for (const folder of roots.slice(0, 2)) {
      for (const experiment of await children(tree, folder)) {
        for (const run of await children(tree, experiment)) {
          const state = tree.getTreeItem(run).checkboxState;
          if ((typeof state === 'object' ? state.state : state) === vscode.TreeItemCheckboxState.Checked) ticked.push(tree.getTreeItem(run).id!);
        }
      }
    }
    assert.deepStrictEqual(ticked.sort(), ['alpha/run:twin', 'beta/run:beta-solo', 'beta/run:twin']);

    const snapshot = await a.runSource()!.call('compareRuns', [...tree.checkedRuns], null);
    assert.deepStrictEqual(snapshot.runs.map((r) => r.uid), ['beta/twin', 'alpha/twin', 'beta/beta-solo']);
    assert.deepStrictEqual(snapshot.runs.map((r) => r.name), ['twin (beta)', 'twin (alpha)', 'beta solo (beta)'], 'runs of several folders say which');
    const lr = snapshot.params.find((p) => p.key === 'lr')!;
    assert.deepStrictEqual(lr.values, ['0.2', '0.1', '0.1']);
    assert.strictEqual(lr.differs, true);
    assert.strictEqual(snapshot.params.find((p) => p.key === 'optimizer')!.differs, false);
    assert.deepStrictEqual([...snapshot.metrics.find((m) => m.key === 'loss')!.last], [0.2, 0.4, 0.55]);
    const series = await a.runSource()!.call('metricSeries', ['alpha/twin', 'beta/twin'], ['loss'], 100);
    assert.deepStrictEqual(series.map((s) => [s.uid, [...s.values]]).sort(), [['alpha/twin', [0.5, 0.4]], ['beta/twin', [0.3, 0.2]]]);

    await vscode.commands.executeCommand('exptrack.compareSelectedRuns');
    const tab = await waitFor('the Compare panel', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
      .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('exptrack.comparePanel')));
    assert.strictEqual(tab.label, 'Compare: 3 runs');
    await vscode.window.tabGroups.close(tab);
    tree.setChecked([]);
  });

  it('records a tracked script of the second folder in that folder\'s .exptrack/, where its Python client writes too', async () => {
    const script = inFolder('beta', 'train_with_client.py');
    fs.writeFileSync(script, [
      'import exptrack',
      'run = exptrack.init()',
      'run.log({"client_metric": 0.75}, step=1)',
      'print("loss=0.125")',
    ].join('\n') + '\n');
    const runId = await a.runFileWithTracking(vscode.Uri.file(script));
    assert.ok(runId, 'the run started');
    const run = await waitFor<RunDetail>('the run in beta\'s index', async () => {
      const found = await a.folderIndex(folderUri('beta'))!.call('getRun', runId!);
      return found?.status === 'finished' && found.metrics.some((m) => m.key === 'client_metric') ? found : undefined;
    });
    assert.ok(fs.existsSync(inFolder('beta', '.exptrack', 'runs', runId!, 'events.jsonl')));
    assert.ok(!fs.existsSync(inFolder('alpha', '.exptrack', 'runs', runId!)), 'nothing of it in alpha');
    assert.strictEqual(run.sourcePath, 'train_with_client.py', 'the source path is relative to its folder');
    assert.deepStrictEqual(run.metrics.map((m) => m.key).sort(), ['client_metric', 'loss']);
    assert.strictEqual(await a.folderIndex(folderUri('alpha'))!.call('getRun', runId!), undefined);
    assert.ok((await a.runsTree()!.load()).some((r) => r.uid === `beta/${runId}`));
  });

  it('records a command typed in a terminal of the second folder there, joined by the client inside it', async () => {
    fs.writeFileSync(inFolder('beta', 'terminal_train.py'), 'import exptrack\nexptrack.init().log({"joined": 1.0}, step=0)\nprint("loss=0.5")\n');
    const beta = a.folderIndex(folderUri('beta'))!;
    const before = new Set((await beta.call('listRuns')).map((r) => r.uid));
    const terminal = vscode.window.createTerminal({ name: 'beta terminal', cwd: inFolder('beta') });
    try {
      terminal.show(true);
      const shell = await waitFor('shell integration', () => terminal.shellIntegration, 20_000);
      const run = (commandLine: string) => {
        const execution = shell.executeCommand(commandLine);
        return new Promise<void>((resolve) => {
          const listener = vscode.window.onDidEndTerminalShellExecution((e) => {
            if (e.execution !== execution) return;
            listener.dispose();
            resolve();
          });
        });
      };
      // Terminals name every folder's claims; the client finds the run recorded for it in beta's.
      await run('printf %s "$EXPTRACK_WATCH_CLAIMS" > claims-env.txt');
      assert.deepStrictEqual(fs.readFileSync(inFolder('beta', 'claims-env.txt'), 'utf8').split(path.delimiter),
        ['alpha', 'beta', 'empty'].map((name) => inFolder(name, '.exptrack', 'claims')));
      await run('python3 terminal_train.py');
      const added = await waitFor('the terminal run in beta', async () => {
        await beta.rescan();
        const runs = (await beta.call('listRuns')).filter((r) => !before.has(r.uid));
        const ended = runs.length === 1 && runs[0]!.status === 'finished' ? await beta.call('getRun', runs[0]!.uid) : undefined;
        return ended?.metrics.some((m) => m.key === 'joined') ? runs : undefined;
      });
      assert.strictEqual(added.length, 1, 'the client joined the run recorded for the command: one run');
      assert.strictEqual(added[0]!.sourceKind, 'terminal');
      assert.ok(!(await a.folderIndex(folderUri('alpha'))!.call('listRuns')).some((r) => r.uid === added[0]!.uid));
    } finally {
      terminal.dispose();
    }
  });

  it('records a notebook of the second folder there', async () => {
    const python = createPythonController(vscode, { id: 'exptrack-multiroot-python', clientDir: CLIENT_DIR });
    try {
      const file = inFolder('beta', 'explore.ipynb');
      fs.writeFileSync(file, JSON.stringify({
        nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
        cells: [{ cell_type: 'code', id: 'c0', execution_count: null, metadata: {}, outputs: [], source: 'print("val_loss: 0.25")' }],
      }));
      await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file));
      const doc = await waitFor('the notebook editor', () => vscode.window.activeNotebookEditor?.notebook);
      await vscode.commands.executeCommand('notebook.selectKernel', { id: python.controller.id, extension: 'exptrack.exptrack' });
      await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: 0, end: 1 }], document: doc.uri });
      const runId = await waitFor('the notebook run', () => a.notebooks()!.runIdOf(doc.uri));
      const run = await waitFor('the notebook run in beta\'s index', async () => {
        await a.notebooks()!.flushed();
        const found = await a.folderIndex(folderUri('beta'))!.call('getRun', runId);
        return found?.metrics.some((m) => m.key === 'val_loss') ? found : undefined;
      });
      assert.strictEqual(run.sourcePath, 'explore.ipynb');
      const map = JSON.parse(fs.readFileSync(inFolder('beta', '.exptrack', 'notebook-runs.json'), 'utf8')) as Record<string, string>;
      assert.strictEqual(map[file], runId);
      assert.ok(!fs.existsSync(inFolder('alpha', '.exptrack', 'notebook-runs.json')));
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      python.dispose();
    }
  });

  it('asks which folder when a command needs one, and works in the folder picked', async () => {
    const answer = answerQuickPick('beta');
    try {
      const panel = await vscode.commands.executeCommand('exptrack.openRunsTable');
      const offered = await answer.offered;
      assert.strictEqual(offered.title, 'Open Runs Table');
      assert.deepStrictEqual(offered.labels, ['alpha', 'beta', 'empty']);
      assert.ok(panel, 'a table opened');
      const feature = a.runsTable()!;
      const table = await waitFor('beta\'s table', () => feature.panelOf(folderUri('beta')));
      await waitFor('its rows', () => (table.current?.ok ? true : undefined));
      const rows = table.current!.ok ? table.current!.rows.map((r) => r.uid) : [];
      assert.ok(rows.includes('beta-solo') && !rows.includes('alpha-solo'), rows.join(', '));
      const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === 'Runs: beta');
      assert.ok(tab, 'the table\'s tab names its folder');
      await vscode.window.tabGroups.close(tab!);
    } finally {
      answer.dispose();
    }

    // A command invoked on a folder's node asks nothing.
    const alphaNode = (await children(a.runsTree()!))[0]!;
    const shown = vscode.window as unknown as Record<string, unknown>;
    const original = shown.showQuickPick;
    shown.showQuickPick = () => assert.fail('no folder is asked for');
    try {
      await vscode.commands.executeCommand('exptrack.openRunsTable', alphaNode);
    } finally {
      shown.showQuickPick = original;
    }
    const alphaTab = await waitFor('alpha\'s table', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === 'Runs: alpha'));
    await vscode.window.tabGroups.close(alphaTab);
  });

  it('a folder added while open brings its runs; removed, it takes them away', async () => {
    const tree = a.runsTree()!;
    const gamma = folderUri('gamma');
    assert.ok(vscode.workspace.updateWorkspaceFolders(3, 0, { uri: gamma }), 'gamma is added');
    await waitFor('gamma\'s runs in the Runs view', async () => ((await tree.load()).some((r) => r.uid === 'gamma/gamma-run') ? true : undefined));
    assert.strictEqual(a.folderIndex(gamma)!.dbPath, inFolder('gamma', '.exptrack', 'exptrack.sqlite'));
    assert.deepStrictEqual((await children(tree)).map((n) => tree.getTreeItem(n).label), ['alpha', 'beta', 'empty', 'gamma']);
    tree.setChecked(['alpha/twin', 'gamma/gamma-run']);

    assert.ok(vscode.workspace.updateWorkspaceFolders(3, 1), 'gamma is removed');
    await waitFor('gamma gone', () => (a.folderIndex(gamma) === undefined ? true : undefined));
    assert.ok(!(await tree.load()).some((r) => r.uid.startsWith('gamma/')), 'its runs are no longer listed');
    assert.deepStrictEqual(tree.checkedRuns, ['alpha/twin'], 'its ticks are dropped');
    assert.deepStrictEqual((await children(tree)).map((n) => tree.getTreeItem(n).label), ['alpha', 'beta', 'empty']);
    tree.setChecked([]);
  });
});
