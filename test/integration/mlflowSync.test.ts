// MLflow sync inside the real extension host: "Set MLflow Token" keeps the token in secret storage
// and push sends it; a server that refuses it gets a clear error; "Push Runs to MLflow" (multi-select
// pick) and "Pull Runs from MLflow" (experiment pick) against a real MLflow server started here.
import * as assert from 'assert';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ExpTrackApi } from '../../src/extension/extension';
import { MlflowRestClient } from '../../src/core/mlflowSync/restClient';
import { parseTrackingUri } from '../../src/core/mlflowSync/trackingServer';
import { mlflowUnavailable, startMlflowServer, type MlflowTestServer } from '../unit/mlflowSync/mlflowServer';
import { api, root } from './support';

const RUN = '20261122-060000-a1b2c3d4';

/** Replaces window prompts and messages for the duration of `fn`, recording the messages. */
async function withPrompts<T>(answers: { pick?: (items: vscode.QuickPickItem[], options?: vscode.QuickPickOptions) => unknown; input?: string }, fn: (shown: string[]) => Promise<T>): Promise<T> {
  const w = vscode.window as unknown as Record<string, unknown>;
  const saved = { pick: w.showQuickPick, input: w.showInputBox, info: w.showInformationMessage, warn: w.showWarningMessage, error: w.showErrorMessage };
  const shown: string[] = [];
  w.showQuickPick = async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>, options?: vscode.QuickPickOptions) => {
    if (!answers.pick) throw new Error(`unexpected quick pick "${options?.title}"`);
    return answers.pick([...(await items)], options);
  };
  w.showInputBox = async (options?: vscode.InputBoxOptions) => {
    if (answers.input === undefined) throw new Error(`unexpected input box "${options?.title}"`);
    return answers.input;
  };
  const record = (kind: string) => async (message: string) => {
    shown.push(`${kind}: ${message}`);
    return undefined;
  };
  w.showInformationMessage = record('info');
  w.showWarningMessage = record('warning');
  w.showErrorMessage = record('error');
  try {
    return await fn(shown);
  } finally {
    Object.assign(w, { showQuickPick: saved.pick, showInputBox: saved.input, showInformationMessage: saved.info, showWarningMessage: saved.warn, showErrorMessage: saved.error });
  }
}

async function setUri(uri: string): Promise<void> {
  await vscode.workspace.getConfiguration('exptrack.mlflow').update('trackingUri', uri, vscode.ConfigurationTarget.Workspace);
}

describe('MLflow sync (extension host)', function () {
  this.timeout(300_000);
  let a: ExpTrackApi;
  let server: MlflowTestServer | undefined;

  before(async function () {
    const why = await mlflowUnavailable();
    if (why) {
      console.log(`      skipped: ${why}`);
      this.skip();
    }
    a = await api();
    server = await startMlflowServer();
    const dir = path.join(root(), '.exptrack', 'runs', RUN);
    fs.mkdirSync(dir, { recursive: true });
    const lines = [
      { t: 'run', v: 1, id: RUN, name: 'sync-it', experiment: 'sync-it', started: 1732240000, source: { kind: 'script', path: 'train.py' } },
      { t: 'params', values: { lr: 0.1 } },
      ...Array.from({ length: 1200 }, (_, i) => ({ t: 'metrics', step: i, time: 1732240001 + i / 1000, values: { loss: i === 5 ? 'NaN' : 1 / (i + 1) } })),
      { t: 'end', status: 'finished', exit: 0, ended: 1732240100 },
    ];
    fs.writeFileSync(path.join(dir, 'events.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    await a.runIndex()!.ingestSoon([path.join(dir, 'events.jsonl')]);
  });

  after(async () => {
    await server?.stop();
    await vscode.workspace.getConfiguration('exptrack.mlflow').update('trackingUri', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('keeps the token in secret storage, sends it, and shows a refusal clearly', async () => {
    const authorizations: string[] = [];
    const refusing = http.createServer((req, res) => {
      authorizations.push(String(req.headers.authorization));
      res.writeHead(401, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error_code: 'UNAUTHENTICATED', message: 'Invalid token' }));
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    try {
      await setUri(`http://127.0.0.1:${(refusing.address() as AddressInfo).port}`);
      await withPrompts({ input: 'tok-123' }, async () => vscode.commands.executeCommand('exptrack.mlflow.setToken'));
      const shown = await withPrompts({ pick: (items) => items.filter((i) => (i as { uid?: string }).uid === RUN) }, async (messages) => {
        await vscode.commands.executeCommand('exptrack.mlflow.pushRuns');
        return messages;
      });
      assert.deepEqual(authorizations, ['Bearer tok-123']);
      assert.equal(shown.length, 1, shown.join('\n'));
      assert.match(shown[0]!, /^error: ExpTrack: the MLflow server refused experiments\/get-by-name .*HTTP 401: Invalid token.*Nothing local was changed/);
      await withPrompts({ input: '' }, async () => vscode.commands.executeCommand('exptrack.mlflow.setToken'));
    } finally {
      await new Promise((resolve) => refusing.close(resolve));
    }
  });

  it('pushes the picked runs and pulls an experiment\'s runs into the Runs view', async () => {
    await setUri(server!.uri);
    const pushed = await withPrompts({ pick: (items, options) => {
      assert.equal(options?.canPickMany, true);
      return items.filter((i) => (i as { uid?: string }).uid === RUN);
    } }, async (messages) => {
      await vscode.commands.executeCommand('exptrack.mlflow.pushRuns');
      return messages;
    });
    assert.deepEqual(pushed, [`info: ExpTrack: pushed 1 run, ${(1200).toLocaleString()} new points to ${server!.uri}.`]);

    const client = new MlflowRestClient(parseTrackingUri(server!.uri));
    const experiment = (await client.getExperimentByName('sync-it'))!;
    const [run] = (await client.searchRuns({ experimentIds: [experiment.experiment_id] })).items;
    assert.equal((await client.getMetricHistory(run!.info.run_id, 'loss')).length, 1200);

    // A run someone else logged to the same experiment comes in with "Pull Runs from MLflow".
    const other = await client.createRun({ experimentId: experiment.experiment_id, runName: 'teammate', startTimeMs: 1732250000000, tags: [] });
    await client.logBatch({ run_id: other.info.run_id, params: [{ key: 'lr', value: '0.2' }], tags: [], metrics: [{ key: 'loss', value: 0.5, timestamp: 1732250001000, step: 0 }] });
    await client.updateRun({ runId: other.info.run_id, status: 'FINISHED', endTimeMs: 1732250002000 });
    // The experiment pick offers the server's experiment names as plain strings.
    const pulled = await withPrompts({ pick: (items) => (items as unknown as string[]).find((name) => name === 'sync-it') }, async (messages) => {
      await vscode.commands.executeCommand('exptrack.mlflow.pullRuns');
      return messages;
    });
    assert.deepEqual(pulled, ['info: ExpTrack: "sync-it": 1 new, 0 updated, 0 unchanged, 1 pushed from here.']);
    const runs = await a.runIndex()!.call('listRuns');
    const teammate = runs.find((r) => r.uid === `mlflow-${other.info.run_id}`);
    assert.ok(teammate, `pulled run in ${runs.map((r) => r.uid).join(', ')}`);
    assert.equal(teammate.name, 'teammate');
    assert.equal(teammate.experiment, 'sync-it');
    assert.equal(teammate.status, 'finished');
    assert.equal(teammate.sourceKind, 'mlflow-server');
    assert.deepEqual((await a.runIndex()!.call('getRun', teammate.uid))!.params, { lr: 0.2 });
  });
});
