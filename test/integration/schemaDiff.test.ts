// Schema diffs inside the real extension host: the command's flows with the questions answered by
// a stub (two files, the Explorer's two selected files, a file against a git revision, the datasets
// of two runs, a file against a TFDV schema), the findings in Problems, the settings, the export,
// the Datasets view and its "Diff with…", and a big file profiled without blocking the host.
// The workspace copy is a git repository whose HEAD holds data/train.csv.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { Revision } from '../../src/core/datasets/gitRevisionFile';
import type { DatasetsTreeNode } from '../../src/extension/datasets/datasetsTree';
import type { ExpTrackApi } from '../../src/extension/extension';
import type { SchemaDiffFeature } from '../../src/extension/schemaDiff/schemaDiffFeature';
import type { DiffModeChoice, DiffTarget, FileKind, RunChoice, RunDataset, SchemaDiffPrompts } from '../../src/extension/schemaDiff/schemaDiffPrompts';
import type { DatasetVersion } from '../../src/shared/datasetVersions';
import type { SchemaDiff } from '../../src/shared/schemaDiff';
import { api, root, waitFor } from './support';
import { describeWithFixtures, FIXTURES } from '../support/fixtures';

const PENGUIN = path.join(FIXTURES, 'tfx/tfx/examples/penguin');
const DIR = 'schema-diff-it';
const uri = (rel: string) => vscode.Uri.file(path.join(root(), rel));
const sha = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/** Answers the schema diff's questions from a script; an unexpected question fails the test. */
class ScriptedPrompts implements SchemaDiffPrompts {
  readonly asked: string[] = [];
  constructor(private readonly answers: {
    mode?: DiffModeChoice;
    files?: vscode.Uri[];
    revision?: string;
    runs?: string[];
    datasets?: string[];
    target?: (others: DatasetVersion[], current: vscode.Uri | undefined) => DiffTarget | undefined;
    save?: vscode.Uri;
  }) {}

  async pickMode() {
    this.asked.push('mode');
    return this.answers.mode;
  }

  async pickFile(step: string, kind: FileKind) {
    this.asked.push(`file:${step}:${kind}`);
    return this.answers.files?.shift();
  }

  revisionsSeen: Revision[] = [];
  async pickRevision(_file: vscode.Uri, revisions: Revision[]) {
    this.asked.push('revision');
    this.revisionsSeen = revisions;
    return this.answers.revision;
  }

  async pickRun(step: string, runs: RunChoice[]) {
    this.asked.push(`run:${step}`);
    const name = this.answers.runs?.shift();
    return runs.find((r) => r.name === name);
  }

  async pickRunDataset(step: string, run: RunChoice): Promise<RunDataset | undefined> {
    this.asked.push(`dataset:${step}`);
    const p = this.answers.datasets?.shift();
    return run.datasets.find((d) => d.version.path === p);
  }

  async pickDiffTarget(_version: DatasetVersion, others: DatasetVersion[], current: vscode.Uri | undefined) {
    this.asked.push('target');
    return this.answers.target?.(others, current);
  }

  async saveLocation() {
    this.asked.push('save');
    return this.answers.save;
  }
}

function findingsOf(diff: SchemaDiff, kind: string): string[] {
  return diff.findings.filter((f) => f.kind === kind).map((f) => f.column ?? '(dataset)');
}

describeWithFixtures('Diff Dataset Schemas', function () {
  this.timeout(60_000);
  let a: ExpTrackApi;
  let feature: SchemaDiffFeature;
  let trainOriginal: Buffer;
  const cleanup: string[] = [];

  before(async () => {
    a = await api();
    feature = a.schemaDiff()!;
    assert.ok(feature, 'the schema diff feature is there');
    fs.mkdirSync(path.join(root(), DIR), { recursive: true });
    cleanup.push(path.join(root(), DIR));
    fs.copyFileSync(path.join(PENGUIN, 'data/labelled/penguins_processed.csv'), path.join(root(), DIR, 'labelled.csv'));
    fs.copyFileSync(path.join(PENGUIN, 'data/unlabelled/penguins_unlabelled.csv'), path.join(root(), DIR, 'unlabelled.csv'));
    fs.copyFileSync(path.join(PENGUIN, 'schema/user_provided/schema.pbtxt'), path.join(root(), DIR, 'schema.pbtxt'));
    // The labelled file is the older one (the Explorer flow orders by modification time).
    fs.utimesSync(path.join(root(), DIR, 'labelled.csv'), new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    trainOriginal = fs.readFileSync(path.join(root(), 'data/train.csv'));
  });

  after(async () => {
    fs.writeFileSync(path.join(root(), 'data/train.csv'), trainOriginal);
    for (const p of cleanup) fs.rmSync(p, { recursive: true, force: true });
    await a.runIndex()?.rescan();
    feature.currentPanel?.dispose();
    await vscode.workspace.getConfiguration('exptrack.schemaDiff').update('problems', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('diffs two files picked in the quick picks: panel, findings, Problems on the newer file', async () => {
    const prompts = new ScriptedPrompts({ mode: 'files', files: [uri(`${DIR}/labelled.csv`), uri(`${DIR}/unlabelled.csv`)] });
    feature.prompts = prompts;
    const diff = (await vscode.commands.executeCommand('exptrack.diffDatasetSchemas')) as SchemaDiff;
    assert.deepStrictEqual(prompts.asked, ['mode', 'file:first file (baseline):any', 'file:second file (newer):any']);
    assert.ok(diff, 'a diff');
    assert.deepStrictEqual(diff.counts, { error: 1, warning: 9, info: 4 });
    assert.deepStrictEqual(findingsOf(diff, 'SCHEMA_MISSING_COLUMN'), ['species']);
    assert.strictEqual(diff.columns.find((c) => c.name === 'species')?.status, 'removed');
    assert.strictEqual(diff.a.path, `${DIR}/labelled.csv`);

    const shown = feature.shown!;
    assert.deepStrictEqual(shown.message.labels.b, { title: `${DIR}/unlabelled.csv`, detail: 'file', canOpen: true });
    assert.strictEqual(shown.message.problemsFile, `${DIR}/unlabelled.csv`);
    assert.ok(feature.currentPanel, 'the Schema Diff panel is open');
    assert.strictEqual(feature.currentPanel!.current?.type, 'diff');

    const problems = vscode.languages.getDiagnostics(uri(`${DIR}/unlabelled.csv`)).filter((d) => d.source === 'ExpTrack schema diff');
    assert.strictEqual(problems.length, diff.findings.length, 'one diagnostic per finding');
    const missing = problems.find((d) => d.code === 'SCHEMA_MISSING_COLUMN')!;
    assert.strictEqual(missing.severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(missing.message, 'species: column missing from B (was int in A)');
    assert.strictEqual(missing.range.start.line, 0);
    const drift = problems.find((d) => d.code === 'COMPARATOR_JENSEN_SHANNON_DIVERGENCE_HIGH' && d.message.includes('culmen_depth_mm'))!;
    assert.strictEqual(drift.severity, vscode.DiagnosticSeverity.Warning);
    // On the column's name in the header line: culmen_length_mm,culmen_depth_mm,…
    assert.deepStrictEqual([drift.range.start.line, drift.range.start.character, drift.range.end.character], [0, 17, 32]);
    assert.strictEqual(problems.filter((d) => d.severity === vscode.DiagnosticSeverity.Information).length, 4);
    assert.strictEqual(vscode.languages.getDiagnostics(uri(`${DIR}/labelled.csv`)).length, 0, 'nothing on the older file');
  });

  it('diffs the two files selected in the Explorer, older first', async () => {
    feature.prompts = new ScriptedPrompts({});
    const newer = uri(`${DIR}/unlabelled.csv`);
    const older = uri(`${DIR}/labelled.csv`);
    const diff = (await vscode.commands.executeCommand('exptrack.diffDatasetSchemas', newer, [newer, older])) as SchemaDiff;
    assert.strictEqual(diff.a.path, `${DIR}/labelled.csv`);
    assert.strictEqual(diff.b.path, `${DIR}/unlabelled.csv`);
    // A folder among the two is refused before anything is read.
    const shown = feature.shown;
    assert.strictEqual(await vscode.commands.executeCommand('exptrack.diffDatasetSchemas', newer, [newer, uri('data')]), undefined);
    assert.strictEqual(feature.shown, shown);
  });

  it('exports the diff as Markdown and as JSON', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-export-'));
    cleanup.push(out);
    feature.prompts = new ScriptedPrompts({ save: vscode.Uri.file(path.join(out, 'diff.md')) });
    const md = await feature.exportDiff('markdown');
    const text = fs.readFileSync(md!.fsPath, 'utf8');
    assert.match(text, /^# Schema diff\n/);
    assert.ok(text.includes('| error | species | Column missing \\(SCHEMA\\_MISSING\\_COLUMN\\) |'), text);
    feature.prompts = new ScriptedPrompts({ save: vscode.Uri.file(path.join(out, 'diff.json')) });
    const json = await feature.exportDiff('json');
    const parsed = JSON.parse(fs.readFileSync(json!.fsPath, 'utf8')) as SchemaDiff;
    assert.deepStrictEqual(parsed.counts, { error: 1, warning: 9, info: 4 });
  });

  it('uses the drift thresholds of the settings and can leave Problems alone', async () => {
    const config = vscode.workspace.getConfiguration('exptrack.schemaDiff');
    await config.update('jsThreshold', 0.9, vscode.ConfigurationTarget.Workspace);
    await config.update('psiThreshold', 100, vscode.ConfigurationTarget.Workspace);
    await config.update('problems', false, vscode.ConfigurationTarget.Workspace);
    try {
      const request = await feature.flows.twoFiles(uri(`${DIR}/labelled.csv`), uri(`${DIR}/unlabelled.csv`));
      const diff = (await feature.run(request!))!;
      assert.strictEqual(diff.thresholds.jensenShannon, 0.9);
      assert.strictEqual(diff.thresholds.psi, 100);
      assert.deepStrictEqual(findingsOf(diff, 'PSI_HIGH'), []);
      assert.deepStrictEqual(findingsOf(diff, 'COMPARATOR_JENSEN_SHANNON_DIVERGENCE_HIGH'), []);
      assert.strictEqual(vscode.languages.getDiagnostics(uri(`${DIR}/unlabelled.csv`)).length, 0, 'Problems stay empty');
      assert.strictEqual(feature.shown!.message.problemsFile, null);
    } finally {
      await config.update('jsThreshold', undefined, vscode.ConfigurationTarget.Workspace);
      await config.update('psiThreshold', undefined, vscode.ConfigurationTarget.Workspace);
      await config.update('problems', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('validates a data file against a TFDV schema (the schema is side A)', async () => {
    feature.prompts = new ScriptedPrompts({ mode: 'schema', files: [uri(`${DIR}/unlabelled.csv`), uri(`${DIR}/schema.pbtxt`)] });
    const diff = (await vscode.commands.executeCommand('exptrack.diffDatasetSchemas')) as SchemaDiff;
    assert.strictEqual(diff.mode, 'data-schema');
    assert.strictEqual(diff.a.path, `${DIR}/schema.pbtxt`);
    assert.ok(findingsOf(diff, 'SCHEMA_MISSING_COLUMN').includes('species'), JSON.stringify(diff.findings));
    assert.deepStrictEqual(feature.shown!.message.labels.a.detail, 'TFDV schema');
    const problems = vscode.languages.getDiagnostics(uri(`${DIR}/unlabelled.csv`));
    assert.strictEqual(problems.length, diff.findings.length, 'the findings are on the data file');
  });

  it('diffs a file against its version at HEAD and at a chosen commit', async () => {
    const train = path.join(root(), 'data/train.csv');
    fs.writeFileSync(train, 'sepal_length,sepal_width,petal_length,petal_width,species,weight\n5.1,3.5,1.4,0.2,setosa,1\n6.3,3.3,6.0,2.5,virginica,2\n');
    const prompts = new ScriptedPrompts({ mode: 'revision', files: [uri('data/train.csv')], revision: 'HEAD' });
    feature.prompts = prompts;
    const diff = (await vscode.commands.executeCommand('exptrack.diffDatasetSchemas')) as SchemaDiff;
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root(), encoding: 'utf8' }).trim();
    assert.deepStrictEqual(prompts.revisionsSeen.map((r) => r.commit), [head], 'the commits that changed the file are offered');
    assert.strictEqual(diff.a.path, 'data/train.csv@HEAD');
    assert.strictEqual(diff.b.path, 'data/train.csv');
    assert.strictEqual(diff.a.rowCount, 6);
    assert.deepStrictEqual(findingsOf(diff, 'SCHEMA_NEW_COLUMN'), ['weight']);
    assert.strictEqual(feature.shown!.message.labels.a.detail, `at HEAD (${head.slice(0, 10)})`);
    assert.strictEqual(feature.shown!.message.labels.b.detail, 'working copy');
    const problems = vscode.languages.getDiagnostics(uri('data/train.csv'));
    assert.ok(problems.some((d) => d.code === 'SCHEMA_NEW_COLUMN' && d.range.start.character === 58), 'on the new column in the header');

    // A chosen commit, through the Explorer's single file.
    feature.prompts = new ScriptedPrompts({ mode: 'revision', revision: head });
    const byCommit = (await vscode.commands.executeCommand('exptrack.diffDatasetSchemas', uri('data/train.csv'))) as SchemaDiff;
    assert.strictEqual(byCommit.a.path, `data/train.csv@${head.slice(0, 10)}`);
    assert.deepStrictEqual(byCommit.counts, diff.counts);

    // A revision git does not know: nothing is diffed, the last diff stays.
    feature.prompts = new ScriptedPrompts({ mode: 'revision', files: [uri('data/train.csv')], revision: 'no-such-branch' });
    assert.strictEqual(await vscode.commands.executeCommand('exptrack.diffDatasetSchemas'), undefined);
    assert.strictEqual(feature.shown!.diff, byCommit);
  });

  describe('datasets recorded by runs', () => {
    const v1 = 'sepal_length,species\n5.1,setosa\n4.9,setosa\n7.0,versicolor\n';
    let head: string;

    before(async () => {
      head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root(), encoding: 'utf8' }).trim();
      const runs = path.join(root(), '.exptrack', 'runs');
      const write = (id: string, started: number, dataset: object, git?: object) => {
        fs.mkdirSync(path.join(runs, id), { recursive: true });
        cleanup.push(path.join(runs, id));
        const lines = [
          { t: 'run', v: 1, id, name: id, experiment: 'schema-diff', started, ...(git ? { git } : {}) },
          { t: 'dataset', role: 'train', ...dataset },
          { t: 'end', status: 'finished', exit: 0, ended: started + 10 },
        ];
        fs.writeFileSync(path.join(runs, id, 'events.jsonl'), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
      };
      // sd-old read train.csv as HEAD has it; sd-new reads the file as it is now; sd-lost read bytes nobody has.
      write('sd-old', 1_700_000_000, { path: 'data/train.csv', sha256: sha(trainOriginal), rows: 6 }, { commit: head, branch: 'main', dirty: false });
      fs.writeFileSync(path.join(root(), 'data/train.csv'), v1);
      write('sd-new', 1_700_000_100, { path: 'data/train.csv', sha256: sha(v1), rows: 3 }, { commit: head, branch: 'main', dirty: true });
      write('sd-lost', 1_700_000_200, { path: 'data/train.csv', sha256: sha('gone'), rows: 1 }, { commit: head, branch: 'main', dirty: true });
      await a.runIndex()!.rescan();
    });

    it('shows dataset versions grouped by path, with the runs that read each', async () => {
      // Other suites' runs may read data/train.csv too: only what these runs add is checked.
      const tree = a.datasets()!.tree;
      const mine = [sha(trainOriginal), sha(v1), sha('gone')].map((s) => s.slice(0, 12));
      const train = await waitFor('data/train.csv in the Datasets view', async () => {
        tree.refresh();
        const node = (await tree.getChildren()).find((n) => n.kind === 'path' && n.path === 'data/train.csv');
        return node?.kind === 'path' && mine.every((h) => node.versions.some((v) => v.sha256?.startsWith(h))) ? node : undefined;
      });
      assert.match(String(tree.getTreeItem(train).description), /^\d+ versions · \d+ runs$/);
      const versions = await tree.getChildren(train);
      const labels = versions.map((v) => String(tree.getTreeItem(v).label));
      assert.deepStrictEqual(labels.filter((l) => mine.includes(l)), mine, 'versions in the order runs first read them');
      const newVersion = versions[labels.indexOf(mine[1]!)]!;
      assert.strictEqual(tree.getTreeItem(newVersion).contextValue, 'datasetVersion');
      assert.match(String(tree.getTreeItem(newVersion).description), /^3 rows · 1 run · /);
      const uses = await tree.getChildren(newVersion);
      assert.deepStrictEqual(uses.map((u) => tree.getTreeItem(u).label), ['sd-new']);
      assert.match(String(tree.getTreeItem(uses[0]!).description), /^train · schema-diff · /);
      const oldUses = await tree.getChildren(versions[labels.indexOf(mine[0]!)]!);
      assert.ok(oldUses.some((u) => tree.getTreeItem(u).label === 'sd-old'));
    });

    it('diffs the datasets of two runs, reading a changed file from the run commit', async () => {
      const prompts = new ScriptedPrompts({ mode: 'runs', runs: ['sd-old', 'sd-new'] });
      feature.prompts = prompts;
      const diff = (await vscode.commands.executeCommand('exptrack.diffDatasetSchemas')) as SchemaDiff;
      assert.deepStrictEqual(prompts.asked, ['mode', 'run:first run (baseline)', 'run:second run']);
      assert.strictEqual(diff.a.rowCount, 6, 'the version sd-old read (from git)');
      assert.strictEqual(diff.b.rowCount, 3, 'the current file');
      assert.deepStrictEqual(findingsOf(diff, 'SCHEMA_MISSING_COLUMN').sort(), ['petal_length', 'petal_width', 'sepal_width']);
      const { labels, notes, problemsFile } = feature.shown!.message;
      assert.strictEqual(labels.a.detail, `version ${sha(trainOriginal).slice(0, 12)} read by run "sd-old", from git ${head.slice(0, 10)}`);
      assert.strictEqual(labels.b.detail, `version ${sha(v1).slice(0, 12)} read by run "sd-new"`);
      assert.ok(notes.some((n) => n.includes('was read from git commit')), JSON.stringify(notes));
      assert.strictEqual(problemsFile, 'data/train.csv');
    });

    it('says the recorded version is not available when no commit holds it', async () => {
      const before = feature.shown!.diff;
      feature.prompts = new ScriptedPrompts({ mode: 'runs', runs: ['sd-lost', 'sd-new'] });
      assert.strictEqual(await vscode.commands.executeCommand('exptrack.diffDatasetSchemas'), undefined);
      assert.strictEqual(feature.shown!.diff, before, 'the diff on screen stays');
    });

    it('diffs a version with another from the Datasets view ("Diff with…")', async () => {
      const tree = a.datasets()!.tree;
      const train = (await tree.getChildren()).find((n): n is DatasetsTreeNode & { kind: 'path' } => n.kind === 'path' && n.path === 'data/train.csv')!;
      const oldVersion = (await tree.getChildren(train)).find((n) => n.kind === 'version' && n.version.sha256 === sha(trainOriginal))!;
      const prompts = new ScriptedPrompts({ target: (others) => ({ kind: 'version', version: others.find((v) => v.sha256 === sha(v1))! }) });
      feature.prompts = prompts;
      const diff = (await vscode.commands.executeCommand('exptrack.diffDatasetWith', oldVersion)) as SchemaDiff;
      assert.deepStrictEqual(prompts.asked, ['target']);
      assert.deepStrictEqual([diff.a.rowCount, diff.b.rowCount], [6, 3]);

      // Against the current file, offered when it exists.
      feature.prompts = new ScriptedPrompts({ target: (_others, current) => (current ? { kind: 'file', uri: current } : undefined) });
      const withFile = (await vscode.commands.executeCommand('exptrack.diffDatasetWith', oldVersion)) as SchemaDiff;
      assert.strictEqual(withFile.b.path, 'data/train.csv');
      assert.strictEqual(feature.shown!.message.labels.b.detail, 'working copy');
    });
  });

  it('profiles a big file off the extension host thread', async function () {
    this.timeout(120_000);
    const big = path.join(root(), DIR, 'big.csv');
    const rows = ['id,x,y,label'];
    for (let i = 0; i < 600_000; i++) rows.push(`${i},${(i * 7919) % 10007},${Math.sin(i).toFixed(6)},c${i % 17}`);
    fs.writeFileSync(big, `${rows.join('\n')}\n`);
    const request = await feature.flows.twoFiles(vscode.Uri.file(big), uri(`${DIR}/labelled.csv`));
    let worstLag = 0;
    let done = false;
    const started = Date.now();
    const work = feature.run(request!).finally(() => (done = true));
    while (!done) {
      const t = Date.now();
      await new Promise((r) => setTimeout(r, 10));
      worstLag = Math.max(worstLag, Date.now() - t - 10);
    }
    const diff = await work;
    assert.strictEqual(diff?.a.rowCount, 600_000);
    console.log(`      ${(fs.statSync(big).size / 1e6).toFixed(1)} MB profiled in ${Date.now() - started} ms; worst event-loop delay on the host ${worstLag} ms`);
    assert.ok(worstLag < 250, `the host's event loop stayed responsive (worst delay ${worstLag} ms)`);
  });

  it('clears its Problems when the panel closes', async () => {
    const request = await feature.flows.twoFiles(uri(`${DIR}/labelled.csv`), uri(`${DIR}/unlabelled.csv`));
    await feature.run(request!);
    assert.ok(vscode.languages.getDiagnostics(uri(`${DIR}/unlabelled.csv`)).length > 0);
    feature.currentPanel!.dispose();
    await waitFor('Problems to clear', () => (vscode.languages.getDiagnostics(uri(`${DIR}/unlabelled.csv`)).length === 0 ? true : undefined));
    assert.strictEqual(feature.shown, undefined);
  });
});
