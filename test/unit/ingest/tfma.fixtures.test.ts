/**
 * TFX Evaluator (TFMA) output: the two real pipelines among the fixtures, and written samples of
 * what they lack. Expected values come from decode_tfma.py, which decodes the same files with
 * Google's protobuf package and TFMA's message declarations, not with ExpTrack's reader.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Store } from '../../../src/core/store/store';
import { sliceLabel, type RunSlices } from '../../../src/shared/slices';
import { describeWithFixtures } from '../../support/fixtures';
import { FIXTURES, fixtureWorkspace, tempDir } from './importSupport';

const PYTHON = fs.existsSync(path.resolve('.venv/bin/python')) ? path.resolve('.venv/bin/python') : 'python3';
const DECODER = path.join(__dirname, 'tfma', 'decode_tfma.py');

interface Decoded {
  slice: Record<string, string>;
  values: Record<string, number>;
}

function decode(kind: 'metrics' | 'validations', file: string): unknown {
  return JSON.parse(execFileSync(PYTHON, [DECODER, kind, file], { encoding: 'utf8' }));
}

const CHICAGO = 'tfx/tfx/recorded/chicago_taxi_beam/Evaluator/evaluation';
const CHURN = 'tfx/churn_pipeline/tfx_churn_pipeline/c4524764-165e-431d-9e1f-a716fb13625c/Evaluator/evaluation/33';

/** The report's values against the independent decoding: every slice, every metric, bit for bit. */
function assertMatchesDecoding(report: RunSlices, decoded: Decoded[], countKey: string): void {
  const overall = decoded.filter((d) => Object.keys(d.slice).length === 0);
  assert.equal(overall.length, 1, 'one overall record');
  assert.equal(report.slices.length, decoded.length - 1);
  for (const [key, value] of Object.entries(overall[0]!.values)) {
    if (key === countKey) assert.equal(report.overallCount, value);
    else assert.equal(report.overall[key], value, `overall ${key}`);
  }
  for (const d of decoded.filter((x) => Object.keys(x.slice).length > 0)) {
    const row = report.slices.find((s) => s.label === sliceLabel(d.slice));
    assert.ok(row, `slice ${sliceLabel(d.slice)}`);
    assert.deepEqual(row.slice, d.slice);
    const { [countKey]: count, ...values } = d.values;
    assert.equal(row.count, count ?? null);
    assert.deepEqual(row.values, values, `values of ${row.label}`);
    for (const [key, v] of Object.entries(values)) {
      // A gap needs an overall value to differ from.
      assert.equal(row.gaps[key], key in report.overall ? v - report.overall[key]! : undefined, `gap of ${key} on ${row.label}`);
    }
  }
}

describeWithFixtures('TFMA fixtures (TFX Evaluator output)', () => {
  let ws: Awaited<ReturnType<typeof fixtureWorkspace>>;
  before(async function () {
    this.timeout(60_000);
    ws = await fixtureWorkspace(['tfx']);
  });
  after(() => ws?.close());

  it('reads both evaluations without problems, as finished runs of their pipelines', () => {
    assert.deepEqual(ws.report.problems.filter((p) => p.path.includes('/Evaluator/')), []);
    const chicago = ws.store.getRun(`tfma:${CHICAGO}`)!;
    assert.deepEqual([chicago.name, chicago.experiment, chicago.sourceKind], ['Evaluator/evaluation', 'tfx/tfx/recorded/chicago_taxi_beam', 'tfma']);
    const churn = ws.store.getRun(`tfma:${CHURN}`)!;
    assert.deepEqual([churn.name, churn.sourceKind], ['Evaluator/evaluation/33', 'tfma']);
    assert.equal(churn.params['tfma.version'], '0.25.0');
    assert.deepEqual(churn.params['tfma.slicing_specs'], [[], ['country']]);
    assert.deepEqual([chicago.status, churn.status], ['finished', 'finished'], 'an evaluation is over once its metrics are written');
  });

  it('chicago_taxi_beam: 24 slices by trip_start_hour, each value as protobuf decodes it', () => {
    const report = ws.store.runSlices([`tfma:${CHICAGO}`], { gapThreshold: 0.1 })[0]!;
    const decoded = decode('metrics', path.join(FIXTURES, CHICAGO, 'metrics')) as Decoded[];
    assert.equal(decoded.length, 25);
    assertMatchesDecoding(report, decoded, 'post_export_metrics/example_count');
    assert.deepEqual(report.slices.map((s) => s.label), Array.from({ length: 24 }, (_, h) => `trip_start_hour=${h}`));
    assert.deepEqual(report.metrics, ['accuracy', 'accuracy_baseline', 'auc', 'auc_precision_recall', 'average_loss', 'label/mean', 'precision', 'prediction/mean', 'recall']);
    const hour2 = report.slices.find((s) => s.label === 'trip_start_hour=2')!;
    assert.equal(hour2.count, 136);
    assert.equal(hour2.values.precision, 0, 'an empty DoubleValue is 0');
    assert.ok(hour2.flagged.includes('precision'), 'a gap beyond the threshold is flagged');
    // eval_config.json asks accuracy ≥ 0.6; TFMA's validation passed and the model was blessed.
    assert.deepEqual(report.thresholds.find((t) => t.slice === ''), { metric: 'accuracy', slice: '', lower: 0.6, upper: null, value: report.overall.accuracy, passed: true });
    assert.equal(report.thresholds.length, 25);
    assert.deepEqual(report.validation, { passed: true, failures: [] });
    assert.equal(report.blessed, true);
  });

  it('churn_pipeline: overall and 3 countries, thresholds of BinaryAccuracy, validation and blessing', () => {
    const report = ws.store.runSlices([`tfma:${CHURN}`])[0]!;
    const decoded = decode('metrics', path.join(FIXTURES, CHURN, 'metrics')) as Decoded[];
    assertMatchesDecoding(report, decoded, 'example_count');
    assert.deepEqual(report.slices.map((s) => [s.label, s.count, s.values.binary_accuracy]), [
      ['country=France', 960, 0.8374999761581421],
      ['country=Germany', 512, 0.724609375],
      ['country=Spain', 501, 0.8243513107299805],
    ]);
    assert.deepEqual([report.overall.binary_accuracy, report.overallCount], [0.8048656582832336, 1973]);
    assert.deepEqual(report.slices.map((s) => s.flagged), [[], ['binary_accuracy'], []]);
    assert.deepEqual(report.thresholds.map((t) => [t.slice, t.lower, t.upper, t.passed]), [
      ['', 0.5, 0.99, true], ['country=France', 0.5, 0.99, true], ['country=Germany', 0.5, 0.99, true], ['country=Spain', 0.5, 0.99, true],
    ]);
    assert.deepEqual(decode('validations', path.join(FIXTURES, CHURN, 'validations')), [{ ok: true, failures: [] }]);
    assert.deepEqual(report.validation, { passed: true, failures: [] });
    assert.equal(report.blessed, true);
  });

  it('a model version of the evaluated model says it was blessed (matched by the model location\'s last folders)', () => {
    const runDir = path.join(ws.root, '.exptrack', 'runs', 'trainer-32');
    fs.mkdirSync(runDir, { recursive: true });
    fs.writeFileSync(path.join(runDir, 'events.jsonl'), [
      { t: 'run', v: 1, id: 'trainer-32', started: 1 },
      { t: 'model', name: 'churn', path: 'exports/model/32/serving_model_dir' },
      { t: 'model', name: 'churn', path: 'exports/model/31/serving_model_dir' },
    ].map((e) => JSON.stringify(e)).join('\n') + '\n');
    ws.store.ingest([runDir]);
    const versions = ws.store.modelRegistry().models.find((m) => m.name === 'churn')!.versions;
    assert.deepEqual(versions.map((v) => [v.path, v.blessed]), [
      ['exports/model/32/serving_model_dir', true],
      ['exports/model/31/serving_model_dir', null],
    ]);
  });
});

describe('TFMA records the fixtures lack (written with protobuf)', () => {
  it('bounded values, confusion matrices at thresholds, float and int slice keys, a failed validation', async function () {
    this.timeout(30_000);
    const root = tempDir();
    const evalDir = path.join(root, 'pipeline', 'Evaluator.fairness', 'evaluation', '7');
    fs.mkdirSync(evalDir, { recursive: true });
    execFileSync(PYTHON, [DECODER, 'samples', evalDir]);
    fs.mkdirSync(path.join(root, 'pipeline', 'Evaluator.fairness', 'blessing', '7'), { recursive: true });
    fs.writeFileSync(path.join(root, 'pipeline', 'Evaluator.fairness', 'blessing', '7', 'NOT_BLESSED'), '');
    const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
    try {
      const report = store.ingest();
      assert.deepEqual(report.problems, []);
      const uid = 'tfma:pipeline/Evaluator.fairness/evaluation/7';
      const slices = store.runSlices([uid])[0]!;
      const decoded = decode('metrics', path.join(evalDir, 'metrics')) as Decoded[];
      assertMatchesDecoding(slices, decoded, 'head/example_count');
      assert.equal(slices.overall['confusion_matrix_at_thresholds@0.5/precision'], 31 / 35);
      assert.equal(slices.overall['auc/lower_bound'], 0.8125);
      assert.deepEqual(slices.slices[0]!.slice, { age: '0.1', bucket: '-3', sex: 'F' });
      assert.deepEqual(slices.validation, {
        passed: false, failures: [{ slice: 'age=0.1, bucket=-3, sex=F', metric: 'auc', message: 'Metric auc 0.5 is smaller than the lower bound 0.6' }],
      });
      assert.equal(slices.blessed, false);
    } finally {
      store.close();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
