import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../../../src/cli/args';
import { createCliContext, type CliContext, type CliIo } from '../../../src/cli/cliContext';
import { gateCommand } from '../../../src/cli/commands/gate';
import { modelsCommand } from '../../../src/cli/commands/models';
import { promoteCommand } from '../../../src/cli/commands/promote';
import { registerCommand } from '../../../src/cli/commands/register';
import { registryFilePath } from '../../../src/core/registry/registryAppender';
import { metrics, runEnd, runStart, tempWorkspace, writeFile, writeRun } from './support/workspace';

type Command = (args: string[], io: CliIo, ctx: CliContext) => Promise<number>;

describe('model CLI commands', () => {
  let root: string;
  let ctx: CliContext;
  beforeEach(() => {
    root = tempWorkspace('exptrack-cli-');
    writeRun(root, 'run-a', [runStart('run-a', 100), metrics(0, { val_acc: 0.9, loss: 0.3 }), { t: 'model', name: 'churn', path: 'out/a.pt' }, runEnd(110)]);
    writeRun(root, 'run-b', [runStart('run-b', 200), metrics(0, { val_acc: 0.8 }), runEnd(210)]);
    writeFile(root, 'out/b.onnx', 'b model');
    ctx = createCliContext(root, null);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  async function run(command: Command, args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const io: CliIo = { stdout: (s) => void (out += s), stderr: (s) => void (err += s), cwd: path.join(root, 'out') };
    const code = await command(args, io, ctx);
    return { code, out, err };
  }

  it('registers, lists, gates and promotes with the exit codes CI relies on', async () => {
    const reg = await run(registerCommand, ['--run', 'run-b', '--path', 'b.onnx', '--name', 'churn', '--parent', 'churn:1', '--derivation', 'retrained']);
    assert.equal(reg.code, 0, reg.err);
    assert.match(reg.out, /^Registered churn v2 — out\/b\.onnx \(onnx, 7 B, sha256 [0-9a-f]{12}\) from run run-b\n$/);

    const list = await run(modelsCommand, ['--json']);
    assert.equal(list.code, 0);
    const { models } = JSON.parse(list.out);
    assert.deepEqual(models[0].versions.map((v: { version: number; origin: string }) => [v.version, v.origin]), [[1, 'run'], [2, 'registered']]);
    const table = await run(modelsCommand, []);
    assert.match(table.out, /MODEL\s+VERSION\s+ALIASES/);
    assert.match(table.out, /churn\s+v2\s+registered\s+onnx\s+run run-b\s+val_acc=0\.8\s+churn v1 \(retrained\)/);

    assert.equal((await run(promoteCommand, ['churn', '1', '--alias', 'champion', '--reason', 'baseline', '--metric', 'val_acc'])).code, 0);

    const fail = await run(gateCommand, ['--model', 'churn', '--candidate', '2', '--metric', 'val_acc', '--mode', 'max']);
    assert.equal(fail.code, 1);
    assert.match(fail.out, /FAILED: v2 val_acc=0\.8 vs champion v1 val_acc=0\.9/);
    const pass = await run(gateCommand, ['--model', 'churn', '--candidate', 'v2', '--against', '1', '--metric', 'val_acc', '--mode', 'min', '--min-delta', '0.05']);
    assert.equal(pass.code, 0);
    assert.match(pass.out, /PASSED/);
    const json = await run(gateCommand, ['--model', 'churn', '--candidate', '2', '--against', 'staging', '--metric', 'val_acc', '--mode', 'max', '--json']);
    assert.equal(json.code, 0);
    assert.equal(JSON.parse(json.out).result.holderVersion, null);
    assert.equal((await run(gateCommand, ['--model', 'nope', '--candidate', '1', '--metric', 'val_acc'])).code, 2);
    assert.equal((await run(gateCommand, ['--model', 'churn', '--candidate', '7', '--metric', 'val_acc'])).code, 2);

    const refused = await run(promoteCommand, ['churn', '2', '--alias', 'champion', '--reason', 'newer', '--metric', 'val_acc']);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /FAILED/);
    assert.match(refused.err, /give an override reason/);
    const forced = await run(promoteCommand, ['churn', '2', '--alias', 'champion', '--reason', 'newer', '--override-reason', 'fresher data', '--metric', 'val_acc']);
    assert.equal(forced.code, 0, forced.err);
    assert.match(forced.out, /churn: "champion" v1 → v2 \(gate overridden\)/);
    assert.equal((await run(promoteCommand, ['churn', '9', '--alias', 'staging', '--reason', 'x'])).code, 2);

    const history = await run(modelsCommand, ['churn', '--history']);
    assert.match(history.out, /champion \(none\) → v1: baseline \[gate passed: no version holds champion/);
    assert.match(history.out, /champion v1 → v2: newer \[gate failed: .*\] \[override: fresher data\]/);
  });

  it('gates with the settings of .vscode/settings.json when no flags are given', async () => {
    writeFile(root, '.vscode/settings.json', '{ "exptrack.gate.metric": "loss", "exptrack.gate.mode": "min", // lower is better\n }');
    writeRun(root, 'run-c', [runStart('run-c', 300), metrics(0, { loss: 0.2 }), { t: 'model', name: 'churn', path: 'out/c.pt' }]);
    assert.equal((await run(promoteCommand, ['churn', '1', '--alias', 'production', '--reason', 'first'])).code, 0);
    const r = await run(gateCommand, ['--model', 'churn', '--candidate', '2', '--against', 'production']);
    assert.equal(r.code, 0);
    assert.match(r.out, /on "loss" \(lower is better, min delta 0\)/);
  });

  it('reports usage mistakes and registry problems', async () => {
    await assert.rejects(run(registerCommand, ['--path', 'b.onnx']), UsageError);
    await assert.rejects(run(promoteCommand, ['churn', '1', '--alias', 'champion']), /--reason/);
    await assert.rejects(run(gateCommand, ['--model', 'churn', '--candidate', '1', '--mode', 'up', '--metric', 'm']), /max or min/);
    await assert.rejects(run(gateCommand, ['--model', 'churn', '--candidate', '1']), /--metric/);
    const outside = await run(registerCommand, ['--run', 'run-b', '--path', '../../../etc/passwd', '--name', 'x']);
    assert.equal(outside.code, 2);
    assert.match(outside.err, /outside the workspace/);
    fs.mkdirSync(path.dirname(registryFilePath(root)), { recursive: true });
    fs.writeFileSync(registryFilePath(root), 'garbled\n');
    const listed = await run(modelsCommand, []);
    assert.equal(listed.code, 0);
    assert.match(listed.err, /^\.exptrack\/registry\.jsonl:1: warning: not JSON/);
  });
});
