/** Every dvc/ fixture: dvclive runs of 0.x, 1.x and 2.x, and the DVC files that are not dvclive output. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readerFor } from '../../../src/core/ingest/discovery';
import { defaultReaders } from '../../../src/core/ingest/readers';
import { parseLenientJson } from '../../../src/core/ingest/readers/common/lenientJson';
import { FIXTURES, fixtureWorkspace, summaryOf } from './importSupport';
import { describeWithFixtures } from '../../support/fixtures';

describeWithFixtures('dvclive fixtures', () => {
  let ws: Awaited<ReturnType<typeof fixtureWorkspace>>;
  before(async () => (ws = await fixtureWorkspace(['dvc'])));
  after(() => ws.close());

  it('finds the 13 dvclive runs and no others, without problems', () => {
    assert.deepEqual(ws.report.problems, []);
    assert.deepEqual(ws.store.listRuns().map((r) => r.uid).sort(), [
      'dvclive:dvc/dvclive-exp-tracking/exps/adunc-soja/dvclive',
      'dvclive:dvc/dvclive-exp-tracking/exps/ahull-chin/dvclive',
      'dvclive:dvc/dvclive-exp-tracking/exps/conic-keys/dvclive',
      'dvclive:dvc/dvclive-exp-tracking/main/dvclive',
      'dvclive:dvc/dvclive-minimal-pipeline/dvclive',
      'dvclive:dvc/example-dvc-experiments_dvclive0x/exps/cnn-128/dvclive',
      'dvclive:dvc/example-dvc-experiments_dvclive0x/exps/cnn-32/dvclive',
      'dvclive:dvc/example-dvc-experiments_dvclive0x/exps/cnn-64/dvclive',
      'dvclive:dvc/example-dvc-experiments_dvclive0x/exps/cnn-96/dvclive',
      'dvclive:dvc/example-dvc-experiments_dvclive0x/main/dvclive',
      'dvclive:dvc/example-get-started/2022-11_dvclive0x_evaluation/evaluation',
      'dvclive:dvc/example-get-started/2022-12_dvclive1x_eval/eval',
      'dvclive:dvc/example-get-started/2023-07_dvclive2x_eval_live/eval/live',
    ]);
    assert.ok(ws.store.listRuns().every((r) => r.sourceKind === 'dvclive'));
  });

  it('dvclive 2.x: plots/metrics/train/loss.tsv is the series train/loss; params.yaml; the summary adds no duplicate', () => {
    const uid = 'dvclive:dvc/dvclive-exp-tracking/exps/ahull-chin/dvclive';
    const run = ws.store.getRun(uid)!;
    assert.deepEqual([run.name, run.experiment], ['dvclive', 'dvc/dvclive-exp-tracking/exps/ahull-chin']);
    assert.deepEqual(run.params, { encoder_size: 64, lr: 0.01 });
    assert.deepEqual(summaryOf(ws.store, uid, 'train/loss'), [20, 0.058970388025045395, 999]);
    assert.deepEqual(summaryOf(ws.store, uid, 'epoch'), [20, 4, 999]);
    assert.deepEqual(ws.store.metricPoints(uid, 'train/loss')[0], { step: 49, time: null, value: 0.07307781279087067 });
    const minimal = 'dvclive:dvc/dvclive-minimal-pipeline/dvclive';
    assert.deepEqual(ws.store.getRun(minimal)!.params, { encoder_size: 64 });
    assert.deepEqual(summaryOf(ws.store, minimal, 'train/loss'), [10, 0.016189243644475937, 499]);
    assert.deepEqual(ws.store.metricPoints(minimal, 'train/loss')[0], { step: 49, time: null, value: 0.06617900729179382 });
  });

  it('dvclive 0.x: dvclive.json + CRLF .tsv with millisecond timestamps', () => {
    const uid = 'dvclive:dvc/example-dvc-experiments_dvclive0x/main/dvclive';
    assert.deepEqual(ws.store.getRun(uid)!.metrics.map((m) => [m.key, m.count, m.last, m.lastStep]), [
      ['acc', 10, 0.987333357334137, 9], ['loss', 10, 0.03911537304520607, 9],
      ['val_acc', 10, 0.988099992275238, 9], ['val_loss', 10, 0.0349835641682148, 9],
    ]);
    assert.deepEqual(ws.store.metricPoints(uid, 'acc')[0], { step: 0, time: 1644420777.053, value: 0.9057999849319458 });
    assert.deepEqual(ws.store.metricPoints(uid, 'loss')[9], { step: 9, time: 1644420914.562, value: 0.03911537304520607 });
    const cnn128 = 'dvclive:dvc/example-dvc-experiments_dvclive0x/exps/cnn-128/dvclive';
    assert.deepEqual(summaryOf(ws.store, cnn128, 'val_loss'), [10, 0.03909822553396225, 9]);
    assert.deepEqual(ws.store.metricPoints(cnn128, 'acc')[0], { step: 0, time: 1644421291.864, value: 0.9444500207901001 });
    assert.deepEqual(summaryOf(ws.store, 'dvclive:dvc/example-dvc-experiments_dvclive0x/exps/cnn-32/dvclive', 'acc'), [10, 0.9918500185012817, 9]);
    assert.deepEqual(summaryOf(ws.store, 'dvclive:dvc/example-dvc-experiments_dvclive0x/exps/cnn-64/dvclive', 'loss'), [10, 0.01581449620425701, 9]);
    assert.deepEqual(summaryOf(ws.store, 'dvclive:dvc/example-dvc-experiments_dvclive0x/exps/cnn-96/dvclive', 'val_acc'), [10, 0.9897000193595886, 9]);
  });

  it('evaluation-only folders: nested summary keys flattened, one point each', () => {
    const v1 = ws.store.getRun('dvclive:dvc/example-get-started/2022-12_dvclive1x_eval/eval')!;
    assert.deepEqual(v1.metrics.map((m) => [m.key, m.count, m.last, m.lastStep]), [
      ['avg_prec/test', 1, 0.9449556493816984, null], ['avg_prec/train', 1, 0.9772271756725741, null],
      ['roc_auc/test', 1, 0.9619097316125981, null], ['roc_auc/train', 1, 0.9873675866013153, null],
    ]);
    const v2 = ws.store.getRun('dvclive:dvc/example-get-started/2023-07_dvclive2x_eval_live/eval/live')!;
    assert.deepEqual(v2.metrics.map((m) => [m.key, m.last]), [
      ['avg_prec/test', 0.9249974999612706], ['avg_prec/train', 0.9743681430252835],
      ['roc_auc/test', 0.9460213440787918], ['roc_auc/train', 0.9866678562450621],
    ]);
    const v0 = ws.store.getRun('dvclive:dvc/example-get-started/2022-11_dvclive0x_evaluation/evaluation')!;
    assert.deepEqual(v0.metrics.map((m) => [m.key, m.count, m.last, m.lastStep]), [['avg_prec', 1, 0.9249974999612706, 0], ['roc_auc', 1, 0.9460213440787918, 0]]);
  });

  it('sklearn plot files with bare Infinity parse with the lenient JSON reader', () => {
    const base = path.join(FIXTURES, 'dvc/example-get-started');
    const cases: [string, string, number, number][] = [
      ['2022-11_dvclive0x_evaluation/evaluation/plots/sklearn/roc.json', 'roc', 283, 1.9991642386165145],
      ['2022-12_dvclive1x_eval/eval/plots/sklearn/roc/test.json', 'roc', 886, Infinity],
      ['2023-07_dvclive2x_eval_live/eval/live/plots/sklearn/roc/test.json', 'roc', 283, Infinity],
      ['2023-07_dvclive2x_eval_live/eval/prc/test.json', 'prc', 998, 0],
      ['2022-04_pre_dvclive_scores/roc.json', 'roc', 363, 1.5479222135019395],
    ];
    for (const [rel, key, count, threshold] of cases) {
      const parsed = parseLenientJson(fs.readFileSync(path.join(base, rel), 'utf8'));
      assert.ok(parsed.ok, rel);
      const list = (parsed.value as Record<string, { threshold: number }[]>)[key]!;
      assert.deepEqual([list.length, list[0]!.threshold], [count, threshold], rel);
    }
  });

  it('claims no DVC pipeline file (dvc.yaml, dvc.lock, project params.yaml, scores, refs, reports) as a run source', () => {
    const readers = defaultReaders();
    const unclaimed: string[] = [];
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const abs = path.join(dir, e.name);
        if (e.isDirectory()) walk(abs);
        else if (!readerFor(readers, path.relative(FIXTURES, abs).split(path.sep).join('/'))) unclaimed.push(path.relative(FIXTURES, abs));
      }
    };
    walk(path.join(FIXTURES, 'dvc'));
    assert.ok(unclaimed.every((p) => /(?:dvc\.yaml|dvc\.lock|params\.yaml|report\.html|git-refs\.txt|\.json)$/.test(p)), unclaimed.join('\n'));
    assert.equal(unclaimed.filter((p) => p.endsWith('dvc.lock')).length, 12);
    assert.ok(unclaimed.includes('dvc/example-get-started/main_2023-08/params.yaml'));
  });
});
