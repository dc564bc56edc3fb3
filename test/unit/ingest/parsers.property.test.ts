/**
 * Property tests of every importer parser, 10,000 generated inputs each: nothing throws, whatever
 * the bytes and however they are cut into reads, and valid records around damaged ones are all kept.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseLenientJson } from '../../../src/core/ingest/readers/common/lenientJson';
import { dvcliveSeriesReader } from '../../../src/core/ingest/readers/dvclive/seriesReader';
import { kerasCsvLoggerReader } from '../../../src/core/ingest/readers/keras/csvLoggerReader';
import { lightningMetricsReader } from '../../../src/core/ingest/readers/lightning/metricsCsvReader';
import { lightningHparamsReader } from '../../../src/core/ingest/readers/lightning/hparamsReader';
import { mlflowMetricReader } from '../../../src/core/ingest/readers/mlflow/runMetricReader';
import { mlflowRunMetaReader } from '../../../src/core/ingest/readers/mlflow/runMetaReader';
import { tfeventsReader } from '../../../src/core/ingest/readers/tensorboard/tfeventsReader';
import type { SourceReader } from '../../../src/core/ingest/sourceReader';
import { readPieces, seriesOf } from './importSupport';
import { eventRecord, headerRecord } from './tbEventWriter';

const RUNS = { numRuns: 10_000 };
const cuts = fc.array(fc.nat({ max: 4000 }), { maxLength: 4 });
const finite = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 });
const float32 = fc.float({ noNaN: true, noDefaultInfinity: true }).map((v) => Math.fround(v));
const key = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
/** A damaged line: starts with a letter, so no reader can take it for a number row. */
const garbageLine = fc.string({ maxLength: 30 }).map((s) => `g${s.replace(/[\r\n,\t]/g, ' ')}`);

function neverThrows(reader: SourceReader, relPath: string): void {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), cuts, (bytes, at) => {
    readPieces(reader, Buffer.from(bytes), relPath, `/nonexistent/${relPath}`, at);
  }), RUNS);
}

/** Python's repr of a float, as MLflow and the CSV loggers write it. */
function pyFloat(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (Object.is(v, -0)) return '-0.0';
  return Number.isInteger(v) ? `${v}.0` : String(v);
}

const sameValue = (a: number, b: number): boolean => Object.is(a, b) || (a === b) || (Number.isNaN(a) && Number.isNaN(b));

describe('importer parsers (property-based)', function () {
  this.timeout(300_000);

  it('MLflow metric files: no exception on any bytes', () => neverThrows(mlflowMetricReader, 'mlruns/1/r/metrics/loss'));

  it('MLflow metric files: every valid line is kept, in order, however the file is cut', () => {
    const point = fc.record({ ts: fc.integer({ min: 0, max: 2 ** 45 }), value: fc.oneof(finite, fc.constantFrom(NaN, Infinity, -Infinity)), step: fc.integer({ min: -1000, max: 2 ** 40 }) });
    fc.assert(fc.property(fc.array(fc.oneof(point, garbageLine), { maxLength: 30 }), cuts, (items, at) => {
      const lines = items.map((it) => (typeof it === 'string' ? it : `${it.ts} ${pyFloat(it.value)} ${it.step}`));
      const expected = items.filter((it, i): it is { ts: number; value: number; step: number } => typeof it !== 'string' && lines[i] !== lines[i - 1]);
      const outs = readPieces(mlflowMetricReader, Buffer.from(lines.map((l) => `${l}\n`).join('')), 'mlruns/1/r/metrics/loss', undefined, at);
      const got = seriesOf(outs, 'loss');
      assert.equal(got.length, expected.length);
      got.forEach(([step, value, time], i) => {
        assert.equal(step, expected[i]!.step);
        assert.ok(sameValue(value, expected[i]!.value));
        assert.equal(time, expected[i]!.ts / 1000);
      });
    }), RUNS);
  });

  it('MLflow meta.yaml: no exception on any bytes', () => neverThrows(mlflowRunMetaReader, 'mlruns/1/r/meta.yaml'));

  it('TensorBoard event files: no exception on any bytes, also after a valid header', () => {
    neverThrows(tfeventsReader, 'tb/events.out.tfevents.1.h');
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), cuts, (bytes, at) => {
      readPieces(tfeventsReader, Buffer.concat([headerRecord(1), Buffer.from(bytes)]), 'tb/events.out.tfevents.1.h', '/nonexistent/x', at);
    }), RUNS);
  });

  it('TensorBoard event files: every intact record is kept, damaged ones skipped, however the file is cut', () => {
    const record = fc.record({
      step: fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
      value: float32,
      encoding: fc.constantFrom('simple', 'float_val', 'tensor_content', 'double_content') as fc.Arbitrary<'simple' | 'float_val' | 'tensor_content' | 'double_content'>,
      damage: fc.option(fc.nat(), { freq: 4 }),
    });
    fc.assert(fc.property(fc.array(record, { maxLength: 12 }), cuts, (records, at) => {
      const parts = [headerRecord(1)];
      const expected: [number, number][] = [];
      records.forEach((r, i) => {
        const bytes = Buffer.from(eventRecord({ wallTime: 10 + i, step: r.step, scalars: [['m', r.value]], encoding: r.encoding }));
        if (r.damage !== null) bytes[12 + (r.damage % (bytes.length - 16))]! ^= 0x5a; // inside the data: its CRC fails
        else expected.push([r.step, r.value]);
        parts.push(bytes);
      });
      const outs = readPieces(tfeventsReader, Buffer.concat(parts), 'tb/events.out.tfevents.1.h', '/nonexistent/x', at);
      assert.deepEqual(seriesOf(outs, 'm').map(([s, v]) => [s, v]), expected);
      assert.equal(outs.flatMap((o) => o.problems).length, records.length - expected.length);
    }), RUNS);
  });

  const table = (sep: string, stepName: string, keys: string[]) => fc.array(fc.oneof(
    fc.record({ step: fc.nat({ max: 1e6 }), values: fc.array(fc.option(finite, { nil: undefined }), { minLength: keys.length, maxLength: keys.length }) }),
    garbageLine.map((g) => `${g}${sep}`),
  ), { maxLength: 20 }).map((rows) => {
    const text = [[stepName, ...keys].join(sep), ...rows.map((r) => (typeof r === 'string' ? r : [r.step, ...r.values.map((v) => (v === undefined ? '' : pyFloat(v)))].join(sep)))].join('\r\n') + '\r\n';
    return { text, rows: rows.filter((r): r is { step: number; values: (number | undefined)[] } => typeof r !== 'string') };
  });

  it('Lightning metrics.csv: no exception on any bytes', () => neverThrows(lightningMetricsReader, 'l/version_0/metrics.csv'));

  it('Lightning metrics.csv: every valid cell is kept, however the file is cut', () => {
    fc.assert(fc.property(table(',', 'step', ['a', 'b']), cuts, ({ text, rows }, at) => {
      const outs = readPieces(lightningMetricsReader, Buffer.from(text), 'l/version_0/metrics.csv', '/nonexistent/x', at);
      for (const [col, k] of [[0, 'a'], [1, 'b']] as const) {
        const expected = rows.filter((r) => r.values[col] !== undefined).map((r) => [r.step, r.values[col]]);
        assert.deepEqual(seriesOf(outs, k).map(([s, v]) => [s, v]), expected);
      }
    }), RUNS);
  });

  it('Keras CSVLogger: no exception on any bytes; every valid row kept', () => {
    neverThrows(kerasCsvLoggerReader, 'training_log.csv');
    fc.assert(fc.property(table(',', 'epoch', ['acc', 'loss']), cuts, ({ text, rows }, at) => {
      const outs = readPieces(kerasCsvLoggerReader, Buffer.from(text.replace(/,(?=,|\r)/g, ',NA')), 'training_log.csv', '/nonexistent/x', at);
      assert.deepEqual(seriesOf(outs, 'loss').map(([s, v]) => [s, v]), rows.filter((r) => r.values[1] !== undefined).map((r) => [r.step, r.values[1]]));
    }), RUNS);
  });

  it('dvclive .tsv: no exception on any bytes; every valid row kept', () => {
    neverThrows(dvcliveSeriesReader, 'dvclive/plots/metrics/loss.tsv');
    fc.assert(fc.property(table('\t', 'step', ['loss']), cuts, ({ text, rows }, at) => {
      const outs = readPieces(dvcliveSeriesReader, Buffer.from(text), 'dvclive/plots/metrics/loss.tsv', '/nonexistent/x', at);
      const valid = rows.filter((r) => r.values[0] !== undefined);
      assert.deepEqual(seriesOf(outs, 'loss').map(([s, v]) => [s, v]), valid.map((r) => [r.step, r.values[0]]));
      assert.equal(outs.flatMap((o) => o.problems).length >= rows.length - valid.length, true);
    }), RUNS);
  });

  it('lenient JSON: no exception on any text; Python-style JSON with NaN/Infinity reads back equal', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => {
      parseLenientJson(text);
    }), RUNS);
    const leaf = fc.oneof(finite.map((v) => (v === 0 ? 0 : v)), fc.constantFrom(NaN, Infinity, -Infinity), fc.string({ maxLength: 8 }), fc.boolean(), fc.constant(null));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 6 }), tie('node'), { maxKeys: 4, noNullPrototype: true })),
    })).node;
    fc.assert(fc.property(value, (v) => {
      const text = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? `\u0001${x}` : x), 2)
        .replace(/"\\u0001(NaN|Infinity|-Infinity)"/g, '$1');
      const parsed = parseLenientJson(text);
      assert.ok(parsed.ok, text);
      assert.deepEqual(parsed.value, v);
    }), RUNS);
  });

  it('YAML (hparams.yaml): no exception on any bytes; flat maps read back', () => {
    neverThrows(lightningHparamsReader, 'l/version_0/hparams.yaml');
    fc.assert(fc.property(fc.dictionary(key, fc.oneof(fc.integer(), fc.boolean(), fc.stringMatching(/^[a-z]{1,8}$/)), { minKeys: 1, maxKeys: 6, noNullPrototype: true }), (map) => {
      const text = Object.entries(map).map(([k, v]) => `${k}: ${typeof v === 'string' ? `'${v}'` : v}`).join('\n');
      const out = lightningHparamsReader.read({ path: '/x', relPath: 'l/version_0/hparams.yaml', bytes: Buffer.from(text), offset: 0, line: 1, state: undefined, atEnd: true });
      assert.deepEqual(out.problems, []);
      const event = out.batches[0]!.events[0]!;
      assert.deepEqual(event.t === 'params' ? event.values : undefined, map);
    }), RUNS);
  });
});
