import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EventLogWriter, serializeRunEvent } from '../../../src/core/capture/eventLogWriter';
import { parseRunEventLine } from '../../../src/shared/runEvents';

describe('capture/EventLogWriter', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-writer-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('appends one JSON line per event, after what is already there', () => {
    const file = path.join(dir, 'events.jsonl');
    fs.writeFileSync(file, '{"t":"tag","key":"a","value":"b"}\n');
    const writer = new EventLogWriter(file);
    assert.equal(writer.write({ t: 'params', values: { lr: 0.01, layers: [64, 32] } }), true);
    assert.equal(writer.write({ t: 'metrics', step: 3, time: 1.5, values: { loss: 0.41 } }), true);
    writer.close();
    assert.equal(fs.readFileSync(file, 'utf8'),
      '{"t":"tag","key":"a","value":"b"}\n'
      + '{"t":"params","values":{"lr":0.01,"layers":[64,32]}}\n'
      + '{"t":"metrics","step":3,"time":1.5,"values":{"loss":0.41}}\n');
  });

  it('spells NaN and ±Infinity as the format\'s strings, and the result parses back', () => {
    const line = serializeRunEvent({ t: 'metrics', step: 0, values: { a: NaN, b: Infinity, c: -Infinity, d: 1, e: 'NaN' } });
    assert.equal(line, '{"t":"metrics","step":0,"values":{"a":"NaN","b":"Infinity","c":"-Infinity","d":1,"e":"NaN"}}');
    const parsed = parseRunEventLine(line);
    assert.equal(parsed.kind, 'event');
  });

  it('keeps a metric called __proto__ as a metric', () => {
    const values = JSON.parse('{"__proto__": 1}') as Record<string, number>;
    assert.equal(serializeRunEvent({ t: 'metrics', values }), '{"t":"metrics","values":{"__proto__":1}}');
  });

  it('reports a failed write through the callback instead of throwing, once per repeated error', () => {
    const errors: string[] = [];
    const writer = new EventLogWriter(path.join(dir, 'missing', 'events.jsonl'), (e) => errors.push(e.message));
    assert.equal(writer.write({ t: 'tag', key: 'k', value: 'v' }), false);
    assert.equal(writer.write({ t: 'tag', key: 'k', value: 'v' }), false);
    assert.equal(errors.length, 1);
    assert.match(errors[0], /ENOENT/);
    // The directory appears later: writing resumes.
    fs.mkdirSync(path.join(dir, 'missing'));
    assert.equal(writer.write({ t: 'tag', key: 'k', value: 'v2' }), true);
    writer.close();
    assert.equal(fs.readFileSync(path.join(dir, 'missing', 'events.jsonl'), 'utf8'), '{"t":"tag","key":"k","value":"v2"}\n');
  });

  it('reports writes after close and survives a throwing error handler', () => {
    const writer = new EventLogWriter(path.join(dir, 'e.jsonl'), () => { throw new Error('handler broke'); });
    writer.close();
    writer.close();
    assert.equal(writer.write({ t: 'tag', key: 'k', value: 'v' }), false);
  });

  it('never interleaves lines of two writers appending to the same file', async () => {
    const file = path.join(dir, 'shared.jsonl');
    const a = new EventLogWriter(file);
    const b = new EventLogWriter(file);
    const big = 'x'.repeat(5000);
    for (let i = 0; i < 200; i++) {
      a.write({ t: 'tag', key: `a${i}`, value: big });
      b.write({ t: 'tag', key: `b${i}`, value: big });
    }
    a.close();
    b.close();
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
    assert.equal(lines.length, 400);
    for (const line of lines) assert.equal(parseRunEventLine(line).kind, 'event');
  });
});
