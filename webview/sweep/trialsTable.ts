/**
 * Every trial in a table: its tick (the Runs view's, for comparing), number, state, objective
 * values and parameters; the best trial (or the Pareto front) starred. Values are set as text.
 */
import { formatMetricValue } from '../../src/shared/format';
import type { SweepView } from '../../src/shared/protocol/sweep';
import { codicon, h } from '../common/dom';

export class TrialsTable {
  readonly element = h('div', { class: 'trials-wrap' });
  private ticked = new Set<string>();
  private boxes = new Map<string, HTMLInputElement>();

  constructor(private readonly setTicked: (uid: string, ticked: boolean) => void) {}

  setData(view: SweepView): void {
    const best = new Set(view.best);
    const hyperband = view.trials.some((t) => t.bracket !== null);
    const head = h('tr', {},
      h('th', { attrs: { scope: 'col' } }, codicon('check', 'Ticked for comparison')),
      h('th', { attrs: { scope: 'col' }, text: '#' }),
      h('th', { attrs: { scope: 'col' }, text: 'state' }),
      ...view.objectives.map((o) => h('th', { attrs: { scope: 'col' }, class: 'num', text: o.name })),
      ...(hyperband ? [h('th', { attrs: { scope: 'col' }, text: 'bracket/round' })] : []),
      ...view.params.map((p) => h('th', { attrs: { scope: 'col' }, text: p.name })));
    this.boxes.clear();
    const rows = view.trials.map((t, i) => {
      const box = h('input', { attrs: { type: 'checkbox', 'aria-label': `Tick trial ${t.number} for comparison` } });
      box.checked = this.ticked.has(t.uid);
      box.addEventListener('change', () => this.setTicked(t.uid, box.checked));
      this.boxes.set(t.uid, box);
      const isBest = best.has(t.uid);
      const row = h('tr', { class: isBest ? 'best' : '', attrs: { 'data-uid': t.uid, 'data-number': String(t.number) } },
        h('td', {}, box),
        h('td', { class: 'num' }, isBest ? codicon('star-full', view.objectives.length > 1 ? 'On the Pareto front' : 'Best trial') : null, ` ${t.number}`),
        h('td', { class: `state state-${t.state}`, text: t.state }),
        ...view.values.map((col) => h('td', { class: 'num', text: Number.isNaN(col[i]!) && t.state !== 'complete' ? '' : formatMetricValue(col[i]!) })),
        ...(hyperband ? [h('td', { text: t.bracket === null ? '' : `${t.bracket}/${t.round ?? 0}`, title: t.continues ? `continues ${t.continues}` : '' })] : []),
        ...view.params.map((p) => h('td', { text: p.values[i] === null ? '' : typeof p.values[i] === 'number' ? formatMetricValue(p.values[i] as number) : String(p.values[i]) })));
      if (isBest) row.dataset.best = 'true';
      return row;
    });
    this.element.replaceChildren(h('table', { class: 'trials', attrs: { 'aria-label': `${view.trials.length} trials of ${view.name}` } }, h('thead', {}, head), h('tbody', {}, ...rows)));
  }

  setTickedRuns(uids: readonly string[]): void {
    this.ticked = new Set(uids);
    for (const [uid, box] of this.boxes) box.checked = this.ticked.has(uid);
  }
}
