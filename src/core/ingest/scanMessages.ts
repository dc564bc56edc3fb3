/** What a scan says to people, the same words in the Output channel, the progress notification and the CLI. */
import type { ScanProgress, ScanSkipReason, ScanSummary } from '../../shared/runTypes';

const count = (n: number): string => n.toLocaleString('en-US');
const SKIP_REASONS: readonly ScanSkipReason[] = ['built-in', 'exptrack.sources.exclude', 'files.exclude', 'search.exclude', '.gitignore'];

export function progressMessage(p: ScanProgress): string {
  return p.phase === 'walking'
    ? `${count(p.filesLookedAt)} files looked at, ${count(p.sourcesFound)} sources found`
    : `reading sources: ${count(p.sourcesRead)} of ${count(p.sourcesFound)}`;
}

/** One line about a finished (or stopped) walk. */
export function scanSummaryMessage(s: ScanSummary): string {
  const skipped = SKIP_REASONS.map((reason): [ScanSkipReason, number] => [reason, s.skipped[reason] ?? 0])
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${count(n)} by ${reason === 'built-in' ? 'the built-in list (node_modules, .git, .venv…)' : reason}`);
  const head = `looked at ${count(s.filesLookedAt)} files and folders in ${Math.round(s.ms)} ms: ${count(s.sourcesFound)} sources found`;
  return skipped.length ? `${head}; left out ${skipped.join(', ')}` : head;
}

/** Said when a walk stopped at `exptrack.sources.maxFiles`, with the way out. */
export function scanLimitMessage(limit: number): string {
  return `the scan stopped after looking at ${count(limit)} files and folders (the limit, exptrack.sources.maxFiles): `
    + 'sources beyond them are not found. Leave big folders out (files.exclude, search.exclude, .gitignore, '
    + 'exptrack.sources.exclude) or raise the limit.';
}

export function scanCancelledMessage(s: ScanSummary | undefined): string {
  return `the scan was cancelled${s ? ` after looking at ${count(s.filesLookedAt)} files and folders` : ''}; `
    + 'the runs read so far stay in the index, and the next scan (Rescan Workspace) reads the rest';
}
