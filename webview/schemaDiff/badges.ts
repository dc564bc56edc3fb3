/** Pieces shared by the table and the detail: column status, finding severity, a list of findings. */
import type { SchemaDiffWire } from '../../src/shared/protocol/schemaDiff';
import { FINDING_TITLES, type ColumnStatus, type Severity } from '../../src/shared/schemaDiff';
import { codicon, h } from '../common/dom';

const STATUS_ICONS: Record<ColumnStatus, string> = {
  unchanged: 'circle-small',
  changed: 'diff-modified',
  added: 'diff-added',
  removed: 'diff-removed',
  renamed: 'diff-renamed',
};

export function statusBadge(status: ColumnStatus): HTMLElement {
  return h('span', { class: `status-badge ${status}` }, codicon(STATUS_ICONS[status]), h('span', { text: status }));
}

const SEVERITY_ICONS: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'info' };

export function severityIcon(severity: Severity): HTMLElement {
  const icon = codicon(SEVERITY_ICONS[severity], severity);
  icon.classList.add('severity', severity);
  return icon;
}

/** Findings as a list: severity, title, kind and the message. */
export function findingList(findings: SchemaDiffWire['findings']): HTMLElement {
  const list = h('ul', { class: 'findings' });
  for (const f of findings) {
    list.append(h('li', { class: `finding ${f.severity}` }, severityIcon(f.severity),
      h('span', { class: 'finding-title', text: FINDING_TITLES[f.kind] }),
      h('span', { class: 'finding-kind muted', text: f.kind }),
      h('span', { class: 'finding-message', text: f.message })));
  }
  return list;
}
