// The Runs view's filter and the Runs table inside the real extension host: the filter narrows
// the tree and refuses wrong text, the table shows what `exptrack runs --filter … --order-by …`
// prints for the same query, and its settings are kept for the workspace.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { main } from '../../src/cli/main';
import type { ExpTrackApi } from '../../src/extension/extension';
import { api, root, waitForWithin } from './support';

const waitFor = waitForWithin(20_000);

function writeRun(id: string, i: number, optimizer: string, loss: number): void {
  const dir = path.join(root(), '.exptrack', 'runs', id);
  fs.mkdirSync(dir, { recursive: true });
  const lines = [
    { t: 'run', v: 1, id, name: id, experiment: 'table-it', started: 1732300000 + i },
    { t: 'params', values: { optimizer, lr: 0.01 * (i + 1) } },
    { t: 'metrics', step: 0, time: 1732300001 + i, values: { val_loss: loss } },
    { t: 'end', status: i === 2 ? 'failed' : 'finished', exit: 0, ended: 1732300100 + i },
  ];
  fs.writeFileSync(path.join(dir, 'events.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
}

async function cliUids(args: string[]): Promise<string[]> {
  let out = '';
  const db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-it-db-')), 'index.sqlite');
  const code = await main(['--workspace', root(), '--db', db, 'runs', '--json', ...args], { stdout: (s) => void (out += s), stderr: () => undefined, cwd: root() });
  assert.strictEqual(code, 0);
  return (JSON.parse(out) as { uid: string }[]).map((r) => r.uid);
}

describe('Runs table and Runs view filter (extension host)', function () {
  this.timeout(60_000);
  let a: ExpTrackApi;

  before(async () => {
    a = await api();
    [['tbl-a', 'adam', 0.25], ['tbl-b', 'sgd', 0.5], ['tbl-c', 'adam', 0.35], ['tbl-d', 'adam', 0.2]].forEach(([id, opt, loss], i) => writeRun(id as string, i, opt as string, loss as number));
    await a.runIndex()!.rescan();
    await waitFor('the runs indexed', async () => ((await a.runsTree()!.load()).filter((r) => r.uid.startsWith('tbl-')).length === 4 ? true : undefined));
  });

  after(async () => {
    await vscode.commands.executeCommand('exptrack.clearRunsFilter');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('filters the Runs view, keeps it for the workspace, refuses a wrong filter and clears', async () => {
    const tree = a.runsTree()!;
    await vscode.commands.executeCommand('exptrack.filterRuns', "params.optimizer = 'adam' and metrics.val_loss < 0.3");
    assert.deepStrictEqual((await tree.load()).map((r) => r.uid), ['tbl-d', 'tbl-a']);
    await vscode.commands.executeCommand('exptrack.filterRuns', 'metrics.val_loss <');
    assert.strictEqual(tree.filter, "params.optimizer = 'adam' and metrics.val_loss < 0.3", 'a wrong filter changes nothing');
    await vscode.commands.executeCommand('exptrack.clearRunsFilter');
    assert.strictEqual(tree.filter, '');
    assert.ok((await tree.load()).length >= 4);
  });

  it('opens the table with the runs the CLI prints for the same filter and sort', async () => {
    await vscode.commands.executeCommand('exptrack.openRunsTable');
    const feature = a.runsTable()!;
    const panel = await waitFor('the table panel', () => feature.panel);
    await waitFor('the first rows', () => (panel.current?.ok ? true : undefined));
    // As the page would send them: a filter, then a sort by the loss column.
    await (panel as unknown as { onMessage(m: unknown): Promise<void> }).onMessage({ type: 'setFilter', filter: "params.optimizer = 'adam'" });
    await (panel as unknown as { onMessage(m: unknown): Promise<void> }).onMessage({ type: 'setSort', sort: [{ field: { kind: 'metric', key: 'val_loss', agg: 'last' }, dir: 'desc' }] });
    const current = panel.current;
    assert.ok(current?.ok, JSON.stringify(current));
    const shown = current.rows.map((r) => r.uid).filter((u) => u.startsWith('tbl-'));
    assert.deepStrictEqual(shown, ['tbl-c', 'tbl-a', 'tbl-d']);
    const printed = (await cliUids(['--filter', "params.optimizer = 'adam'", '--order-by', 'metrics.val_loss DESC'])).filter((u) => u.startsWith('tbl-'));
    assert.deepStrictEqual(shown, printed);
    assert.strictEqual(panel.settings.view.filter, "params.optimizer = 'adam'");
    assert.ok(panel.settings.view.columns.some((c) => c.kind === 'metric' && c.key === 'val_loss'), 'default columns include the workspace\'s key metric');
  });
});
