/**
 * P6: schema diff throughput and memory. Writes two CSVs of 1M rows × 20 columns (~100 MB each,
 * the second with shifted distributions) into a temp dir, reads their bytes once as the reference,
 * then diffs them and reports MB/s over both files and the peak resident set size of the diff.
 *
 *   npx tsx bench/schemaDiff.bench.ts [rows]
 *
 * MB here is 2^20 bytes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readFileChunks } from '../src/core/datasets/readers/fileChunks';
import { schemaDiffFiles } from '../src/core/datasets/schemaDiffFiles';

const MB = 1024 * 1024;
const ROWS = Number(process.argv[2] ?? 1_000_000);

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HEADER = [
  'id', 'amount', 'score', 'lat', 'lon', 'ratio', 'temperature', 'age', 'count', 'flag', 'hour',
  'payment_type', 'segment', 'country', 'signup_date', 'balance', 'discount', 'customer', 'active', 'tier',
].join(',');
const PAYMENTS = ['Cash', 'Credit Card', 'Debit Card', 'Mobile', 'Voucher'];
const SEGMENTS = ['consumer', 'corporate', 'home office', 'small business'];
const COUNTRIES = ['France', 'Germany', 'Spain', 'Italy', 'Portugal', 'Netherlands', 'Belgium'];
const NAMES = ['Smith, John', 'Doe, Jane', 'Müller, Jörg', 'García, Ana', 'Rossi, Marco', 'Novak, Eva'];

function writeCsv(file: string, rows: number, seed: number, shift: number): void {
  const r = rng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, `${HEADER}\n`);
  const batch: string[] = [];
  for (let i = 0; i < rows; i++) {
    const day = 1 + Math.floor(r() * 28);
    const month = 1 + Math.floor(r() * 12);
    batch.push([
      i + 1,
      (r() * 500 * (1 + shift)).toFixed(2),
      (normal() + shift).toFixed(5),
      (41.8 + r() * 0.3).toFixed(6),
      (-87.9 + r() * 0.3).toFixed(6),
      r().toFixed(4),
      (15 + 8 * normal()).toFixed(1),
      18 + Math.floor(r() * 60),
      Math.floor(r() * 1_000_000),
      r() < 0.3 + shift * 0.2 ? 1 : 0,
      Math.floor(r() * 24),
      PAYMENTS[Math.floor(r() ** (1 + shift) * PAYMENTS.length)],
      SEGMENTS[Math.floor(r() * SEGMENTS.length)],
      COUNTRIES[Math.floor(r() * COUNTRIES.length)],
      `20${20 + Math.floor(r() * 5)}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      r() < 0.1 ? '' : (r() * 10000).toFixed(2),
      r() < 0.2 ? '' : r().toFixed(3),
      `"${NAMES[Math.floor(r() * NAMES.length)]}"`,
      r() < 0.5 ? 'true' : 'false',
      ['gold', 'silver', 'bronze'][Math.floor(r() * 3)],
    ].join(','));
    if (batch.length === 10_000) {
      fs.writeSync(fd, `${batch.join('\n')}\n`);
      batch.length = 0;
    }
  }
  if (batch.length > 0) fs.writeSync(fd, `${batch.join('\n')}\n`);
  fs.closeSync(fd);
}

function vmHwmMB(): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Resets the kernel's peak-RSS counter so VmHWM covers only what follows (Linux ≥ 4.0). */
function resetPeakRss(): boolean {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-bench-schema-'));
  const a = path.join(dir, 'a.csv');
  const b = path.join(dir, 'b.csv');
  try {
    const t0 = Date.now();
    writeCsv(a, ROWS, 1, 0);
    writeCsv(b, ROWS, 2, 0.3);
    const bytes = fs.statSync(a).size + fs.statSync(b).size;
    console.log(`generated 2 × ${ROWS} rows × 20 columns, ${(bytes / MB).toFixed(0)} MB in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    // Reference: the same bytes read with the same chunked reader, doing nothing with them.
    const r0 = process.hrtime.bigint();
    for (const f of [a, b]) await readFileChunks(f, { chunkBytes: MB }, () => true);
    const rawSeconds = Number(process.hrtime.bigint() - r0) / 1e9;

    if (typeof global.gc === 'function') global.gc();
    const hwmReset = resetPeakRss();
    let peakSampled = process.memoryUsage.rss();
    const sampler = setInterval(() => {
      peakSampled = Math.max(peakSampled, process.memoryUsage.rss());
    }, 20);
    const d0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    const diff = await schemaDiffFiles(a, b);
    const cpu = process.cpuUsage(c0);
    const diffSeconds = Number(process.hrtime.bigint() - d0) / 1e9;
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    clearInterval(sampler);
    peakSampled = Math.max(peakSampled, process.memoryUsage.rss());
    const hwm = vmHwmMB();
    const peak = Math.max(peakSampled / MB, hwmReset && hwm !== undefined ? hwm : 0);

    for (const side of [diff.a, diff.b]) {
      if (!side.usable || !side.complete) console.log(`${side.path}: ${side.diagnostics.map((d) => d.message).join('; ')}`);
    }
    const rate = bytes / MB / diffSeconds;
    const rawRate = bytes / MB / rawSeconds;
    console.log(`rows ${diff.a.rowCount} / ${diff.b.rowCount}; findings: ${diff.counts.error} errors, ${diff.counts.warning} warnings, ${diff.counts.info} info`);
    console.log(`diff took ${diffSeconds.toFixed(2)} s wall, ${cpuSeconds.toFixed(2)} s CPU (${(bytes / MB / cpuSeconds).toFixed(1)} MB per CPU second); load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
    console.log(`peak RSS sampled ${(peakSampled / MB).toFixed(0)} MB, VmHWM ${hwm?.toFixed(0) ?? 'n/a'} MB${hwmReset ? '' : ' (not reset: includes generation)'}`);
    console.log(`P6 schema-diff: ${rate.toFixed(1)} MB/s (raw read ${rawRate.toFixed(0)} MB/s, ratio ${(rate / rawRate).toFixed(3)}), peak RSS ${peak.toFixed(0)} MB`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
