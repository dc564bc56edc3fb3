/** Parameter importance as horizontal bars (shares of 1), with the method and how many trials it rests on. */
import type { SweepView } from '../../src/shared/protocol/sweep';
import { h } from '../common/dom';

export class ImportanceBars {
  readonly element = h('div', { class: 'importance', attrs: { 'data-chart': 'importance' } });

  setData(view: SweepView): void {
    const imp = view.importance;
    this.element.replaceChildren();
    if (!imp) {
      this.element.append(h('p', { class: 'muted empty', text: 'No objective: choose one above to see which parameters matter.' }));
      this.element.dataset.points = '0';
      return;
    }
    if ('reason' in imp) {
      this.element.append(h('p', { class: 'muted empty', text: `No importance: ${imp.reason}.` }));
      this.element.dataset.points = '0';
      return;
    }
    const objective = view.objectives[imp.objective]?.name ?? '';
    const list = h('ol', { class: 'bars', attrs: { 'aria-label': `Parameter importance for ${objective}` } });
    for (const p of imp.params) {
      const bar = h('span', { class: 'bar-fill' });
      bar.style.width = `${(p.importance * 100).toFixed(1)}%`;
      list.append(h('li', { attrs: { 'data-param': p.name } },
        h('span', { class: 'bar-label', text: p.name, title: p.name }),
        h('span', { class: 'bar-track' }, bar),
        h('span', { class: 'bar-value', text: p.importance.toFixed(3) })));
    }
    this.element.append(list, h('p', { class: 'muted hint', text: `PED-ANOVA (Optuna's default evaluator) over ${imp.trialsUsed} complete trials, for ${objective}.` }));
    this.element.dataset.points = String(imp.params.length);
  }
}
