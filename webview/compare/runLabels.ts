/** How a compared run is labelled in both Compare webviews. */
import type { CompareRun } from '../../src/shared/compare/compareTypes';
import { codicon, h } from '../common/dom';

const STATUS_ICONS: Record<string, string> = {
  running: 'sync',
  finished: 'pass',
  failed: 'error',
  killed: 'circle-slash',
  scheduled: 'clock',
  unknown: 'circle-outline',
};

export function statusIcon(run: CompareRun): HTMLElement {
  const el = codicon(STATUS_ICONS[run.status] ?? 'circle-outline', run.status);
  el.classList.add('status', `status-${run.status}`);
  if (run.status === 'running') el.classList.add('codicon-modifier-spin');
  return el;
}

/** e.g. "script · train.py" or "tensorboard · logs/run1". */
export function sourceText(run: CompareRun): string {
  return [run.sourceKind, run.sourcePath].filter(Boolean).join(' · ');
}

/** A small square in the run's colour. */
export function swatch(color: string): HTMLElement {
  const el = h('span', { class: 'swatch', attrs: { 'aria-hidden': 'true' } });
  el.style.backgroundColor = color;
  return el;
}
