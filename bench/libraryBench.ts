/**
 * What the benches that weigh a hand-written module against the maintained library a reviewer
 * would name share: the real files under ../shared/fixtures, CPU time per call measured in
 * interleaved rounds (so a busy shared machine slows every contender alike), and one printed line
 * per contender with its ratio to ours.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIXTURES, fixturesPresent } from '../test/support/fixtures';

/** Files under the fixtures whose path (relative, with `/`) passes `keep`, sorted. Exits when there are none. */
export function fixtureFiles(keep: (relPath: string) => boolean): { path: string; relPath: string }[] {
  if (!fixturesPresent) {
    console.log(`skipped: needs the real files in ${FIXTURES}`);
    process.exit(0);
  }
  const out: { path: string; relPath: string }[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        const relPath = path.relative(FIXTURES, full).split(path.sep).join('/');
        if (keep(relPath)) out.push({ path: full, relPath });
      }
    }
  };
  walk(FIXTURES);
  return out.sort((a, b) => (a.relPath < b.relPath ? -1 : 1));
}

export interface Contender {
  name: string;
  /** One pass over all the inputs. */
  run: () => void;
}

/**
 * CPU seconds of one `run` of each contender: calibrated to about `roundSeconds` a round, then
 * `rounds` rounds taken in turn, the fastest round of each kept (the least disturbed by other work).
 */
export function cpuSecondsPerRun(contenders: Contender[], rounds = 5, roundSeconds = 0.2): Map<string, number> {
  const reps = contenders.map((c) => {
    c.run(); // warm-up: compile the hot paths before timing
    let n = 1;
    for (;;) {
      const t = cpuSeconds(c.run, n);
      if (t >= roundSeconds / 4 || n >= 1 << 20) return Math.max(1, Math.round((n * roundSeconds) / Math.max(t, 1e-6)));
      n *= 2;
    }
  });
  const best = contenders.map(() => Infinity);
  for (let r = 0; r < rounds; r++) {
    contenders.forEach((c, i) => {
      best[i] = Math.min(best[i]!, cpuSeconds(c.run, reps[i]!) / reps[i]!);
    });
  }
  return new Map(contenders.map((c, i) => [c.name, best[i]!]));
}

function cpuSeconds(run: () => void, reps: number): number {
  const start = process.cpuUsage();
  for (let i = 0; i < reps; i++) run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/**
 * Prints one line per contender: `unit` per `per` (e.g. ms per MB, ns per value), and the ratio to
 * the first contender (ours). `scale` turns seconds per run into that unit.
 */
export function printFigures(label: string, times: Map<string, number>, scale: number, unit: string): void {
  const entries = [...times];
  const ours = entries[0]![1];
  console.log(label);
  for (const [name, seconds] of entries) {
    const figure = seconds * scale;
    const ratio = seconds / ours;
    console.log(`  ${name.padEnd(34)} ${figure.toFixed(figure < 10 ? 3 : 1).padStart(9)} ${unit}   ${ratio.toFixed(2)}× ours`);
  }
}

/** Fails the bench (exit 1) when the contenders disagree: a figure is worth nothing without the same result. */
export function sameOrExit(what: string, mismatches: string[]): void {
  if (mismatches.length === 0) {
    console.log(`  same results: ${what}`);
    return;
  }
  console.log(`  DIFFERENT RESULTS (${what}): ${mismatches.length}`);
  for (const m of [...new Set(mismatches)].slice(0, 10)) console.log(`    ${m}`);
  process.exitCode = 1;
}

export const MB = 1024 * 1024;
