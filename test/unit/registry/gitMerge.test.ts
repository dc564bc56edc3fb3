/**
 * `registry.jsonl` is committed and shared through git: two branches that each promote a version
 * merge without a conflict (the `.gitattributes` ExpTrack writes beside it asks for a union merge),
 * both promotions are in the audit trail in the order they happened, and an event both branches
 * carry (a cherry-pick) appears twice in the merged file but counts once, by its id.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createCliContext, type CliIo } from '../../../src/cli/cliContext';
import { modelsCommand } from '../../../src/cli/commands/models';
import { promoteCommand } from '../../../src/cli/commands/promote';
import { ensureExptrackDir } from '../../../src/core/exptrackDir';
import { registryFilePath } from '../../../src/core/registry/registryAppender';
import type { ModelHistoryEntry } from '../../../src/shared/modelTypes';
import { metrics, runEnd, runStart, tempWorkspace, writeRun } from './support/workspace';

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Ann', GIT_AUTHOR_EMAIL: 'ann@example.com', GIT_COMMITTER_NAME: 'Ann', GIT_COMMITTER_EMAIL: 'ann@example.com',
  GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null',
};

describe('registry.jsonl in git', function () {
  this.timeout(60_000);
  let root: string;
  beforeEach(() => (root = tempWorkspace('exptrack-merge-')));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const git = (...args: string[]) => execFileSync('git', ['-c', 'commit.gpgsign=false', ...args], { cwd: root, env: GIT_ENV, encoding: 'utf8' });

  async function cli(command: typeof modelsCommand, args: string[]): Promise<string> {
    let out = '';
    let err = '';
    const io: CliIo = { stdout: (s) => void (out += s), stderr: (s) => void (err += s), cwd: root };
    const code = await command(args, io, createCliContext(root, null));
    assert.equal(code, 0, err);
    return out;
  }

  async function history(): Promise<ModelHistoryEntry[]> {
    return (JSON.parse(await cli(modelsCommand, ['churn', '--json', '--history'])) as { history: ModelHistoryEntry[] }).history;
  }

  it('two branches promote different versions; git merges without a conflict; both events count once, in order', async () => {
    ensureExptrackDir(root);
    writeRun(root, 'run-a', [runStart('run-a', 100), metrics(0, { val_acc: 0.8 }), { t: 'model', name: 'churn', path: 'out/a.pt' }, runEnd(110)]);
    writeRun(root, 'run-b', [runStart('run-b', 200), metrics(0, { val_acc: 0.9 }), { t: 'model', name: 'churn', path: 'out/b.pt' }, runEnd(210)]);
    git('init', '-q', '-b', 'main');
    // The first registry event is written on main, so the file (and its attribute) are in the base.
    await cli(promoteCommand, ['churn', '1', '--alias', 'candidate', '--reason', 'first look']);
    assert.equal(fs.readFileSync(path.join(root, '.exptrack', '.gitattributes'), 'utf8'), 'registry.jsonl merge=union\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'runs and the registry');
    assert.equal(git('status', '--porcelain', '--ignored').trim(), '', 'nothing untracked or ignored is left (the in-memory index wrote nothing)');
    // An event that reaches both branches (e.g. cherry-picked): the same line, the same id.
    const shared = JSON.stringify({ id: 'shared-1', time: 1_900_000_000, actor: 'Bo', t: 'model.alias', name: 'churn', alias: 'reviewed', version: 2, reason: 'review done' }) + '\n';

    // Written at different places on the two branches, git cannot line the two copies up.
    git('checkout', '-q', '-b', 'staging-work');
    fs.appendFileSync(registryFilePath(root), shared);
    await cli(promoteCommand, ['churn', '2', '--alias', 'staging', '--reason', 'better val_acc']);
    git('commit', '-q', '-am', 'stage v2');

    git('checkout', '-q', 'main');
    await new Promise((r) => setTimeout(r, 20)); // the two promotions have distinct times
    await cli(promoteCommand, ['churn', '1', '--alias', 'production', '--reason', 'ship v1']);
    fs.appendFileSync(registryFilePath(root), shared);
    git('commit', '-q', '-am', 'ship v1');

    const merge = spawnSync('git', ['-c', 'commit.gpgsign=false', 'merge', '--no-edit', 'staging-work'], { cwd: root, env: GIT_ENV, encoding: 'utf8' });
    assert.equal(merge.status, 0, `git merge: ${merge.stdout}${merge.stderr}`);
    const merged = fs.readFileSync(registryFilePath(root), 'utf8');
    assert.doesNotMatch(merged, /^(<<<<<<<|=======|>>>>>>>)/m, 'no conflict markers');
    assert.equal(merged.split(shared).length - 1, 2, 'the shared line is in the merged file twice');

    const events = await history();
    const alias = events.filter((h): h is Extract<ModelHistoryEntry, { kind: 'alias' }> => h.kind === 'alias');
    assert.deepEqual(alias.map((h) => [h.alias, h.to, h.reason]), [
      ['candidate', 1, 'first look'],
      ['staging', 2, 'better val_acc'],
      ['production', 1, 'ship v1'],
      ['reviewed', 2, 'review done'],
    ], 'each event once, in the order they were made');
    const view = JSON.parse(await cli(modelsCommand, ['churn', '--json'])) as { models: Array<{ versions: Array<{ version: number; aliases: string[] }> }> };
    assert.deepEqual(view.models[0]!.versions.map((v) => [v.version, [...v.aliases].sort()]), [[1, ['candidate', 'production']], [2, ['reviewed', 'staging']]]);
  });

  it('without the attribute the same merge conflicts (what the .gitattributes prevents)', async () => {
    ensureExptrackDir(root);
    fs.rmSync(path.join(root, '.exptrack', '.gitattributes'));
    fs.writeFileSync(registryFilePath(root), '');
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'empty registry');
    git('checkout', '-q', '-b', 'other');
    fs.appendFileSync(registryFilePath(root), '{"id":"b","time":2,"actor":"x","t":"run.note","run":"r","text":"b"}\n');
    git('commit', '-q', '-am', 'b');
    git('checkout', '-q', 'main');
    fs.appendFileSync(registryFilePath(root), '{"id":"a","time":1,"actor":"x","t":"run.note","run":"r","text":"a"}\n');
    git('commit', '-q', '-am', 'a');
    const merge = spawnSync('git', ['merge', '--no-edit', 'other'], { cwd: root, env: GIT_ENV, encoding: 'utf8' });
    assert.notEqual(merge.status, 0, 'a plain text merge of two appends conflicts');
  });
});
