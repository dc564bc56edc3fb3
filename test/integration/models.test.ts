// The model registry commands inside the real extension host, with the quick picks and input boxes
// answered by a script: registering versions from run artifacts (and a derived one), promoting
// with the champion–challenger gate (pass, refusal, override), the history document, and the
// Lineage and Model Version panels built from the index.
import * as assert from 'assert';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ModelsFeature } from '../../src/extension/models/modelsFeature';
import type { ModelsTreeNode } from '../../src/extension/models/modelsTree';
import type { RegisteredModel } from '../../src/shared/modelTypes';
import { api, root } from './support';

const registryFile = () => path.join(root(), '.exptrack', 'registry.jsonl');

interface Answer {
  /** Matches the title of the quick pick or input box this answers. */
  title: RegExp;
  /** For a quick pick: the item whose label (without its $(icon)) matches. */
  pick?: RegExp;
  /** For an input box: the text typed; it must pass the box's own validation. */
  input?: string;
  /** For an input box: text the box's validation must refuse (then the box is cancelled). */
  refused?: string;
  /** Steps that only appear in some states (e.g. the model-name pick once models exist). */
  optional?: boolean;
}

/**
 * Answers showQuickPick / showInputBox by title. Every question asked must have an answer, and
 * every required answer must be used: a changed flow fails the test instead of hanging it.
 */
class ScriptedPrompts implements vscode.Disposable {
  readonly asked: string[] = [];
  /** What input boxes said when refusing a `refused` answer. */
  readonly refusals: string[] = [];
  private readonly pending: Answer[];
  private readonly original = { pick: vscode.window.showQuickPick, input: vscode.window.showInputBox };

  constructor(answers: Answer[]) {
    this.pending = [...answers];
    const w = vscode.window as unknown as Record<string, unknown>;
    w.showQuickPick = async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>, options?: vscode.QuickPickOptions) => {
      const title = options?.title ?? '';
      this.asked.push(title);
      const answer = this.take(title, 'pick');
      const list = (await items).filter((i) => i.kind !== vscode.QuickPickItemKind.Separator);
      const found = list.find((i) => answer.pick!.test(i.label.replace(/^\$\([\w-]+\)\s*/, '')));
      if (!found) throw new Error(`"${title}": no item matches ${answer.pick} among ${JSON.stringify(list.map((i) => i.label))}`);
      return found;
    };
    w.showInputBox = async (options?: vscode.InputBoxOptions) => {
      const title = options?.title ?? '';
      this.asked.push(title);
      const answer = this.take(title, 'input');
      if (answer.refused !== undefined) {
        const refusal = await options?.validateInput?.(answer.refused);
        if (!refusal) throw new Error(`"${title}": "${answer.refused}" was accepted`);
        this.refusals.push(typeof refusal === 'string' ? refusal : refusal.message);
        return undefined;
      }
      const problem = await options?.validateInput?.(answer.input!);
      if (problem) throw new Error(`"${title}": "${answer.input}" was refused: ${typeof problem === 'string' ? problem : problem.message}`);
      return answer.input;
    };
  }

  private take(title: string, kind: 'pick' | 'input'): Answer {
    const at = this.pending.findIndex((a) => a.title.test(title) && (kind === 'pick' ? a.pick !== undefined : a.input !== undefined || a.refused !== undefined));
    if (at < 0) throw new Error(`no scripted answer for the ${kind} "${title}"`);
    return this.pending.splice(at, 1)[0]!;
  }

  assertAllUsed(): void {
    assert.deepStrictEqual(this.pending.filter((a) => !a.optional).map((a) => String(a.title)), [], `unused answers; asked: ${JSON.stringify(this.asked)}`);
  }

  dispose(): void {
    const w = vscode.window as unknown as Record<string, unknown>;
    w.showQuickPick = this.original.pick;
    w.showInputBox = this.original.input;
  }
}

async function withPrompts<T>(answers: Answer[], run: (prompts: ScriptedPrompts) => Thenable<T>): Promise<T> {
  const prompts = new ScriptedPrompts(answers);
  try {
    const result = await run(prompts);
    prompts.assertAllUsed();
    return result;
  } finally {
    prompts.dispose();
  }
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function writeFile(rel: string, content: string | Buffer): string {
  const abs = path.join(root(), rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, content);
  return abs;
}

/** A finished run that trained on data/train.csv and left a model file as an artifact. */
function writeRun(id: string, name: string, started: number, valAcc: number, modelFile: string, params: Record<string, unknown>): string {
  const model = writeFile(modelFile, `weights of ${id}`);
  const train = path.join(root(), 'data', 'train.csv');
  const events = [
    { t: 'run', v: 1, id, name, experiment: 'itest-models', started },
    { t: 'params', values: params },
    { t: 'dataset', path: 'data/train.csv', role: 'train', sha256: sha256(train) },
    { t: 'metrics', step: 0, values: { val_acc: valAcc - 0.1 } },
    { t: 'metrics', step: 1, values: { val_acc: valAcc } },
    { t: 'artifact', path: modelFile, sha256: sha256(model), bytes: fs.statSync(model).size },
    { t: 'end', status: 'finished', exit: 0, ended: started + 60 },
  ];
  return writeFile(`.exptrack/runs/${id}/events.jsonl`, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
}

function registryLines(): Record<string, unknown>[] {
  if (!fs.existsSync(registryFile())) return [];
  return fs.readFileSync(registryFile(), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>);
}

async function model(models: ModelsFeature, name: string): Promise<RegisteredModel | undefined> {
  models.tree.refresh();
  return (await models.tree.load()).models.find((m) => m.name === name);
}

async function versionNode(models: ModelsFeature, name: string, version: number): Promise<ModelsTreeNode> {
  models.tree.refresh();
  const node = await models.tree.versionNode(name, version);
  assert.ok(node, `${name} v${version} in the Models view`);
  return node;
}

const register = (run: RegExp, file: RegExp, name: string, parent?: { pick: RegExp; derivation: RegExp }): Answer[] => [
  { title: /Register Model Version — run$/, pick: run },
  { title: /Register Model Version — model file$/, pick: file },
  { title: /Register Model Version — model name$/, pick: /New model/, optional: true },
  { title: /Register Model Version — new model name$/, input: name },
  { title: /Register Model Version — derived from$/, pick: parent?.pick ?? /^Not derived/, optional: !parent },
  ...(parent ? [{ title: /Register Model Version — how it was derived/, pick: parent.derivation }] : []),
];

const promote = (name: string, version: number, alias: string, reason: string): Answer[] => [
  { title: /Promote Model Version — model$/, pick: new RegExp(`^${name}$`) },
  { title: new RegExp(`Promote Model Version — version of ${name}$`), pick: new RegExp(`^v${version}$`) },
  { title: /Promote Model Version — alias for/, pick: new RegExp(`^${alias}$`) },
  { title: /Promote Model Version — reason$/, input: reason },
];

describe('Model registry commands', function () {
  this.timeout(60_000);
  let models: ModelsFeature;

  before(async () => {
    const a = await api();
    models = a.models()!;
    assert.ok(models, 'the models feature is running');
    await vscode.workspace.getConfiguration('exptrack.gate').update('metric', 'val_acc', vscode.ConfigurationTarget.Workspace);
    const files = [
      writeRun('itest-small', 'itest small net', 1_600_000_000, 0.72, 'models-itest/small/model.onnx', { lr: 0.1, layers: [32] }),
      writeRun('itest-wide', 'itest wide net', 1_600_000_100, 0.91, 'models-itest/wide.pt', { lr: 0.05, layers: [256, 128] }),
    ];
    await a.runIndex()!.ingestSoon(files);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('exptrack.gate').update('metric', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('offers the model files runs produced and registers them as versions through the quick picks', async () => {
    const overview = await models.tree.load();
    const offered = overview.candidates.filter((c) => c.runUid.startsWith('itest-')).map((c) => [c.runUid, c.path, c.framework]);
    assert.deepStrictEqual(offered.sort(), [['itest-small', 'models-itest/small/model.onnx', 'onnx'], ['itest-wide', 'models-itest/wide.pt', 'pytorch']]);

    await withPrompts(register(/^itest small net$/, /^model\.onnx$/, 'itest-churn'), () => vscode.commands.executeCommand('exptrack.registerModelVersion'));
    await withPrompts([
      { title: /Register Model Version — run$/, pick: /^itest wide net$/ },
      { title: /Register Model Version — model file$/, pick: /^wide\.pt$/ },
      { title: /Register Model Version — model name$/, pick: /^itest-churn$/ },
      { title: /Register Model Version — derived from$/, pick: /^Not derived/ },
    ], () => vscode.commands.executeCommand('exptrack.registerModelVersion'));

    const churn = await model(models, 'itest-churn');
    assert.deepStrictEqual(churn?.versions.map((v) => [v.version, v.runUid, v.path, v.framework, v.origin]), [
      [1, 'itest-small', 'models-itest/small/model.onnx', 'onnx', 'registered'],
      [2, 'itest-wide', 'models-itest/wide.pt', 'pytorch', 'registered'],
    ]);
    const written = registryLines().filter((e) => e.t === 'model.register' && e.name === 'itest-churn');
    assert.strictEqual(written.length, 2);
    assert.ok(typeof written[0]!.actor === 'string' && (written[0]!.actor as string).length > 0, 'the actor is recorded');
    assert.strictEqual(written[1]!.sha256, sha256(path.join(root(), 'models-itest/wide.pt')));
    // Registered files are no longer offered.
    assert.ok(!(await models.tree.load()).candidates.some((c) => c.runUid.startsWith('itest-') && c.registeredAs === null));
  });

  it('registers a derived version from a file the Models view offers, with its parent and derivation', async () => {
    writeFile('models-itest/wide-int8.onnx', 'int8 weights');
    const runFile = path.join(root(), '.exptrack/runs/itest-wide/events.jsonl');
    fs.appendFileSync(runFile, JSON.stringify({ t: 'artifact', path: 'models-itest/wide-int8.onnx' }) + '\n');
    await (await api()).runIndex()!.ingestSoon([runFile]);
    models.tree.refresh();
    const candidate = (await models.tree.load()).candidates.find((c) => c.path === 'models-itest/wide-int8.onnx');
    assert.ok(candidate, 'the new artifact is offered');
    await withPrompts([
      { title: /Register Model Version — model name$/, pick: /New model/ },
      { title: /Register Model Version — new model name$/, input: 'itest-churn-int8' },
      { title: /Register Model Version — derived from$/, pick: /^itest-churn v2$/ },
      { title: /Register Model Version — how it was derived from itest-churn v2/, pick: /^quantized$/ },
    ], () => vscode.commands.executeCommand('exptrack.registerModelVersion', { kind: 'candidate', candidate }));
    const int8 = await model(models, 'itest-churn-int8');
    assert.deepStrictEqual(int8?.versions.map((v) => [v.version, v.runUid, v.parent, v.derivation]), [[1, 'itest-wide', { name: 'itest-churn', version: 2 }, 'quantized']]);
  });

  it('promotes through the gate, shows the comparison when it refuses, and records an override with its reason', async () => {
    const refusals = await withPrompts([
      ...promote('itest-churn', 2, 'champion', '').slice(0, 3),
      { title: /Promote Model Version — reason$/, refused: '   ' },
    ], async (p) => {
      await vscode.commands.executeCommand('exptrack.promoteModelVersion');
      return p.refusals;
    });
    assert.match(refusals.join(), /reason is required/);
    assert.strictEqual(registryLines().filter((e) => e.t === 'model.alias' && e.name === 'itest-churn').length, 0, 'a cancelled promotion writes nothing');

    await withPrompts(promote('itest-churn', 2, 'champion', 'best val_acc'), () => vscode.commands.executeCommand('exptrack.promoteModelVersion'));
    let churn = await model(models, 'itest-churn');
    assert.deepStrictEqual(churn?.aliases.map((a) => [a.alias, a.version]), [['champion', 2]]);

    // A worse version is stopped: the comparison opens and nothing is written unless overridden.
    const before = registryLines().length;
    await withPrompts([
      ...promote('itest-churn', 1, 'champion', 'smaller model'),
      { title: /the gate stopped itest-churn v1 from becoming champion/, pick: /^Keep @champion on v2$/ },
    ], () => vscode.commands.executeCommand('exptrack.promoteModelVersion'));
    assert.strictEqual(registryLines().length, before, 'a refused promotion writes nothing');
    const shown = models.modelVersion.panel?.currentComparison;
    assert.deepStrictEqual([shown?.version.version, shown?.against?.version, shown?.gate?.passed], [1, 2, false]);
    assert.match(shown!.gate!.reason, /v1 val_acc=0\.72 vs champion v2 val_acc=0\.91/);

    await withPrompts([
      ...promote('itest-churn', 1, 'champion', 'smaller model'),
      { title: /the gate stopped itest-churn v1/, pick: /^Override the gate…$/ },
      { title: /override the gate$/, input: 'latency budget beats 0.19 accuracy for this release' },
    ], () => vscode.commands.executeCommand('exptrack.promoteModelVersion'));
    churn = await model(models, 'itest-churn');
    assert.deepStrictEqual(churn?.aliases.map((a) => [a.alias, a.version]), [['champion', 1]]);
    const event = registryLines().filter((e) => e.t === 'model.alias').pop()!;
    assert.deepStrictEqual([event.version, event.from, event.reason, (event.override as { reason: string }).reason, (event.gate as { passed: boolean }).passed],
      [1, 2, 'smaller model', 'latency budget beats 0.19 accuracy for this release', false]);
  });

  it('shows the history of a model as a document: who, when, from, to, why and the gate', async () => {
    const node = await versionNode(models, 'itest-churn', 1);
    const editor = (await vscode.commands.executeCommand('exptrack.showModelHistory', node)) as vscode.TextEditor;
    const text = editor.document.getText();
    assert.match(text, /^History of model itest-churn — 4 events, newest first/);
    assert.match(text, /itest-churn {2}@champion {2}v2 → v1\n {4}who: {2}.+\n {4}why: {2}smaller model\n {4}gate: FAILED on val_acc \(max\) — v1 val_acc=0\.72 vs champion v2 val_acc=0\.91.*\n {4}override: latency budget/);
    assert.match(text, /itest-churn {2}@champion {2}\(none\) → v2\n.*\n {4}why: {2}best val_acc\n {4}gate: passed/);
    assert.match(text, /itest-churn {2}registered v1\n.*\n {4}file: models-itest\/small\/model\.onnx \(onnx\)\n {4}run: {2}itest-small/);
    assert.ok(text.indexOf('v2 → v1') < text.indexOf('(none) → v2'), 'newest first');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('opens the lineage around a version: dataset → run → version → derived version, and reveals what is clicked', async () => {
    const node = await versionNode(models, 'itest-churn', 2);
    await vscode.commands.executeCommand('exptrack.showModelLineage', node);
    const graph = models.lineage.panel?.currentGraph;
    assert.ok(graph, 'the lineage panel has a graph');
    const ids = graph.nodes.map((n) => n.id);
    const dataset = graph.nodes.find((n) => n.kind === 'dataset' && n.path === 'data/train.csv');
    assert.ok(dataset, `the training dataset among ${JSON.stringify(ids)}`);
    for (const id of ['run:itest-wide', 'model:itest-churn@2', 'model:itest-churn-int8@1']) assert.ok(ids.includes(id), `${id} among ${JSON.stringify(ids)}`);
    assert.ok(!ids.includes('model:itest-churn@1'), 'a sibling reached only through the shared dataset is not part of this lineage');
    assert.deepStrictEqual(graph.focus, ['model:itest-churn@2']);
    const derived = graph.edges.find((e) => e.kind === 'derived');
    assert.deepStrictEqual([derived?.from, derived?.to, derived?.label], ['model:itest-churn@2', 'model:itest-churn-int8@1', 'quantized']);

    await models.revealVersion('itest-churn-int8', 1);
    const selected = models.view.selection[0];
    assert.ok(selected?.kind === 'version' && selected.version.name === 'itest-churn-int8', 'the clicked version is selected in the Models view');
  });

  it('compares a version with the champion: metrics, parameters, drift and the gate', async () => {
    const node = await versionNode(models, 'itest-churn', 2);
    await vscode.commands.executeCommand('exptrack.compareWithChampion', node);
    const c = models.modelVersion.panel?.currentComparison;
    assert.ok(c);
    assert.deepStrictEqual([c.version.version, c.againstLabel], [2, 'champion v1']);
    assert.deepStrictEqual(c.metrics.find((m) => m.key === 'val_acc'), { key: 'val_acc', version: 0.91, against: 0.72, difference: 0.91 - 0.72 });
    assert.deepStrictEqual(c.params.filter((p) => p.differs).map((p) => [p.key, p.version, p.against]), [['layers', '[256,128]', '[32]'], ['lr', '0.05', '0.1']]);
    assert.strictEqual(c.drift.status, 'same', 'both runs trained on the same version of data/train.csv');
    assert.strictEqual(c.gate?.passed, true);
  });
});
