/**
 * A separate writer process for the concurrency test: waits for the start signal, then appends
 * COUNT events through RegistryAppender — registrations that race with the other writers for the
 * same version numbers, and every tenth event an alias move.
 * Usage: appendWorker.ts REGISTRY_FILE WRITER COUNT GO_FILE
 */
import * as fs from 'node:fs';
import { RegistryAppender } from '../../../../src/core/registry/registryAppender';

const [file, writer, countText, goFile] = process.argv.slice(2);
if (!file || !writer || !countText || !goFile) throw new Error('usage: appendWorker.ts REGISTRY_FILE WRITER COUNT GO_FILE');
const count = Number(countText);

const pause = new Int32Array(new SharedArrayBuffer(4));
const deadline = Date.now() + 60_000;
while (!fs.existsSync(goFile)) {
  if (Date.now() > deadline) process.exit(3);
  Atomics.wait(pause, 0, 0, 1);
}

const appender = new RegistryAppender(file, `writer-${writer}`);
for (let i = 1; i <= count; i++) {
  if (i % 10 === 0) {
    appender.appendDraft({ t: 'model.alias', name: 'churn', alias: 'challenger', version: i - 1, reason: `writer ${writer}, step ${i}` });
  } else {
    const sha256 = `${Number(writer).toString(16).padStart(8, '0')}${i.toString(16).padStart(56, '0')}`;
    appender.appendDraft({ t: 'model.register', name: 'churn', version: i, path: `w${writer}/m${i}.onnx`, sha256, bytes: i });
  }
}
