/**
 * MLflow's own system metrics, written by MLflow's real tracking client (its psutil-based monitor),
 * are recognised as system metrics: the Compare views keep them apart from the training curves.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Store } from '../../../src/core/store/store';
import { keysOfTab, sparklineKeys } from '../../../src/shared/compare/defaultKeys';
import { isSystemMetric, systemChartKeys } from '../../../src/shared/systemMetricKeys';
import { tempDir } from '../ingest/importSupport';

const PYTHON = path.resolve(__dirname, '../../../.venv/bin/python');
const ENV = { ...process.env, MLFLOW_ALLOW_FILE_STORE: 'true', MLFLOW_TRACKING_URI: 'file:./mlruns', GIT_PYTHON_REFRESH: 'quiet' };

describe('system metrics of other tools', function () {
  this.timeout(120_000);

  it('MLflow\'s system metrics (log_system_metrics=True) are system metrics here too', async function () {
    const probe = spawnSync(PYTHON, ['-c', 'import mlflow, psutil'], { env: ENV });
    if (probe.status !== 0) {
      console.log('      skipped: mlflow with psutil is not installed in .venv (pip install -r requirements-test.txt)');
      this.skip();
    }
    const root = tempDir('exptrack-mlflow-system-');
    try {
      const done = spawnSync(PYTHON, ['-c', [
        'import mlflow, time',
        'mlflow.set_system_metrics_sampling_interval(1)',
        'mlflow.set_system_metrics_samples_before_logging(1)',
        'with mlflow.start_run(log_system_metrics=True):',
        '    mlflow.log_metric("loss", 0.5, step=0)',
        '    time.sleep(3.5)',
      ].join('\n')], { cwd: root, env: ENV, encoding: 'utf8', timeout: 100_000 });
      assert.equal(done.status, 0, done.stderr);
      const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
      try {
        store.ingest();
        const [run] = store.listRuns();
        const keys = store.getRun(run!.uid)!.metrics.map((m) => m.key);
        assert.ok(keys.includes('system/cpu_utilization_percentage'), keys.join(', '));
        assert.ok(keys.includes('system/system_memory_usage_megabytes'), keys.join(', '));
        assert.deepEqual(keys.filter((k) => !isSystemMetric(k)), ['loss']);
        assert.deepEqual(keysOfTab(keys, 'curves'), ['loss'], 'the Curves tab leaves them to the System tab');
        assert.deepEqual(sparklineKeys(keys), ['loss'], 'the Compare view leaves them out unless asked');
        assert.deepEqual(sparklineKeys(keys, true), keys);
        assert.equal(systemChartKeys(keys)[0], 'system/cpu_utilization_percentage', 'CPU first');
      } finally {
        store.close();
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('dvclive\'s system metrics keep their prefix', () => {
    // dvclive's monitor logs `system/cpu/usage (%)`, `system/ram/usage (GB)`, `system/gpu/usage (%)/0`.
    for (const key of ['system/cpu/usage (%)', 'system/ram/usage (GB)', 'system/gpu/usage (%)/0']) assert.ok(isSystemMetric(key), key);
    assert.equal(isSystemMetric('systematic_error'), false);
    assert.equal(isSystemMetric('val/system/loss'), false);
  });
});
