// A workspace for the webview security UI test: every kind of text the extension shows that comes
// from files anyone can write — run names, experiments, parameter keys and values, metric keys,
// tags, notes, dataset paths and CSV column names, model names, aliases and derivations — holds
// an XSS payload. Each payload sets `window.__pwned` (and opens an alert) if it ever runs.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { sampleWorkspace } from '../support/workbench';
import { workspaceWithRuns, type FixtureRun } from './compareFixtures';

export const PAYLOADS = {
  img: '<img src=x onerror=window.__pwned=1;alert(1)>',
  script: '</script><script>window.__pwned=1;alert(2)</script>',
  svg: '"><svg onload=window.__pwned=1;alert(3)>',
  js: 'javascript:window.__pwned=1;alert(4)',
  template: "{{constructor.constructor('window.__pwned=1;alert(5)')()}}",
};
export const CORPUS: readonly string[] = Object.values(PAYLOADS);

/** Where each payload is put, so the test can look for it where the extension shows that field. */
export const FIELDS = {
  runA: PAYLOADS.img,
  runB: PAYLOADS.script,
  runC: PAYLOADS.js,
  experiment: PAYLOADS.template,
  paramKey: PAYLOADS.script,
  paramValue: PAYLOADS.svg,
  paramKey2: PAYLOADS.js,
  metricKey: PAYLOADS.svg,
  metricKey2: PAYLOADS.template,
  model: PAYLOADS.svg,
  derivedModel: PAYLOADS.img,
  derivation: PAYLOADS.template,
  alias: PAYLOADS.js,
  datasetPath: `data/${PAYLOADS.img}.csv`,
  tagKey: PAYLOADS.img,
  tagValue: PAYLOADS.script,
  eventTagKey: PAYLOADS.svg,
  eventTagValue: PAYLOADS.js,
  note: `${PAYLOADS.template} ${PAYLOADS.img}`,
  /** Column names of both CSV files (all five payloads). */
  columns: CORPUS,
};

export const DATASET_A = 'data/xss-a.csv';
const DATASET_B = 'data/xss-b.csv';

/** One CSV field, quoted as RFC 4180 says when it holds a quote, comma or line break. */
function csvField(text: string): string {
  return /["\n\r,]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** 100 rows of an id and one number per payload column; `shift` moves every distribution (drift). */
function csv(shift: number): string {
  const rows = [['id', ...FIELDS.columns].map(csvField).join(',')];
  for (let i = 0; i < 100; i++) rows.push([i, ...FIELDS.columns.map((_, c) => (i * (c + 3)) % 50 + shift)].join(','));
  return `${rows.join('\n')}\n`;
}

function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Three runs: A (champion v1 of the payload model, trained on xss-a.csv), B (v2, trained on
 * xss-b.csv, which drifted) and C (a derivative of v2, on a dataset whose path is a payload), plus
 * registry events: the champion and a payload alias, a note and a tag on run A. Returns a temp
 * folder (the harness copies it again).
 */
export function securityWorkspace(): string {
  const base = 1_732_300_000;
  const dataset = (file: string, body: string) => ({ t: 'dataset', path: file, role: 'train', sha256: sha256(body), rows: 100, bytes: Buffer.byteLength(body) });
  const a = csv(0);
  const b = csv(30);
  const metrics = (scale: number) => (s: number) => ({ loss: scale / (1 + s), [FIELDS.metricKey]: s * scale, [FIELDS.metricKey2]: (s % 5) * scale });
  const runs: FixtureRun[] = [
    {
      id: 'sec-a', name: FIELDS.runA, experiment: FIELDS.experiment, started: base, steps: 10, status: 'finished', metrics: metrics(1),
      params: { lr: 0.1, [FIELDS.paramKey]: FIELDS.paramValue, [FIELDS.paramKey2]: 1 },
      events: [
        dataset(DATASET_A, a),
        { t: 'model', name: FIELDS.model, path: 'models/a.onnx' },
        { t: 'tag', key: FIELDS.eventTagKey, value: FIELDS.eventTagValue },
      ],
    },
    {
      id: 'sec-b', name: FIELDS.runB, experiment: FIELDS.experiment, started: base + 1000, steps: 10, status: 'finished', metrics: metrics(2),
      params: { lr: 0.2, [FIELDS.paramKey]: FIELDS.paramKey2, [FIELDS.paramKey2]: 2 },
      events: [dataset(DATASET_B, b), { t: 'model', name: FIELDS.model, path: 'models/b.onnx' }],
    },
    {
      id: 'sec-c', name: FIELDS.runC, experiment: FIELDS.experiment, started: base + 2000, steps: 3, status: 'failed', metrics: metrics(3),
      params: { bits: 8 },
      events: [
        { t: 'dataset', path: FIELDS.datasetPath, role: 'calibration', sha256: 'c'.repeat(64), rows: 7 },
        { t: 'model', name: FIELDS.derivedModel, path: 'models/c.onnx', parent: { name: FIELDS.model, version: 2 }, derivation: FIELDS.derivation },
      ],
    },
  ];
  const dir = workspaceWithRuns(sampleWorkspace, runs);
  fs.writeFileSync(path.join(dir, DATASET_A), a);
  fs.writeFileSync(path.join(dir, DATASET_B), b);
  fs.mkdirSync(path.join(dir, 'models'), { recursive: true });
  for (const m of ['a', 'b', 'c']) fs.writeFileSync(path.join(dir, `models/${m}.onnx`), `ONNX ${m}`);
  const event = (n: number, e: object) => ({ id: `sec-${n}`, time: base + 5000 + n, actor: 'security-test', ...e });
  const registry = [
    event(1, { t: 'model.alias', name: FIELDS.model, alias: 'champion', version: 1, reason: 'first' }),
    event(2, { t: 'model.alias', name: FIELDS.model, alias: FIELDS.alias, version: 2, reason: FIELDS.note }),
    event(3, { t: 'run.note', run: 'sec-a', text: FIELDS.note }),
    event(4, { t: 'run.tag', run: 'sec-a', key: FIELDS.tagKey, value: FIELDS.tagValue }),
  ];
  fs.writeFileSync(path.join(dir, '.exptrack/registry.jsonl'), registry.map((e) => JSON.stringify(e)).join('\n') + '\n');
  return dir;
}
