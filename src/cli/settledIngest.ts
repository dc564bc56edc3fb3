/**
 * An ingest for the command line, which cannot wait for the next file event: files that were being
 * written (an Optuna database mid-transaction) are read again a few times, a moment apart. Their
 * "being written" notes stay only for files still busy after the last attempt.
 */
import type { Store } from '../core/store/store';
import type { IngestReport, SourceProblem } from '../shared/runTypes';

const ATTEMPTS = 10;
const PAUSE_MS = 300;

export async function settledIngest(store: Store, paths?: string[]): Promise<IngestReport> {
  const report = store.ingest(paths);
  const busyPaths = (r: IngestReport) => new Set((r.retry ?? []).map((abs) => abs.replace(/\\/g, '/')));
  const notBusy = (r: IngestReport) => (p: SourceProblem) => !(r.retry?.length && p.severity === 'info' && [...busyPaths(r)].some((abs) => abs.endsWith(`/${p.path}`)));
  let last = report;
  const problems = report.problems.filter(notBusy(report));
  for (let attempt = 0; attempt < ATTEMPTS && last.retry?.length; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    last = store.ingest(last.retry);
    report.sourcesRead += last.sourcesRead;
    report.points += last.points;
    report.runsTouched = [...new Set([...report.runsTouched, ...last.runsTouched])].sort();
    problems.push(...last.problems.filter(notBusy(last)));
  }
  report.problems = [...problems, ...last.problems.filter((p) => !notBusy(last)(p))];
  if (last.retry?.length) report.retry = last.retry;
  else delete report.retry;
  return report;
}
