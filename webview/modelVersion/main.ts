/**
 * The Model Version panel's page: a version beside the champion (or another version). It shows the
 * comparison the host sends and asks the host for anything else (another version to compare
 * with, a run, the file, the lineage, a promotion). Only UI intent — whether every parameter is
 * listed — is kept with setState.
 */
import '../common/jitless';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import css from './modelVersion.css';
import { adoptStyles } from '../common/dom';
import { HostConnection } from '../common/hostConnection';
import type { ModelVersionComparison } from '../../src/shared/modelComparison';
import { createModelVersionProtocol, type ModelVersionHostMessage, type ModelVersionWebviewMessage } from '../../src/shared/protocol/modelVersion';
import { driftSection, gateSection, h, metricsTable, paramsTable, section, versionCards } from './render';

interface SavedState {
  allParams: boolean;
  /** The comparison asked for, as the host said; the host reads it back to restore the panel after a reload. */
  subject?: unknown;
}

function main(): void {
  const host = new HostConnection<ModelVersionHostMessage, ModelVersionWebviewMessage, SavedState>(createModelVersionProtocol().hostMessage, (saved) => {
    const s = saved as Partial<SavedState> | undefined;
    return { allParams: s?.allParams === true, subject: s?.subject };
  });
  const post = (m: ModelVersionWebviewMessage) => host.post(m);
  adoptStyles(css);

  let state = host.state;
  let current: ModelVersionComparison | null = null;
  const app = document.getElementById('app')!;
  app.className = 'model-version';
  const status = h('p', 'muted', 'Loading…');
  status.setAttribute('role', 'status');
  app.append(status);

  const render = (c: ModelVersionComparison) => {
    current = c;
    const header = h('header', 'header');
    const title = h('h1');
    title.append(h('span', undefined, `${c.model} v${c.version.version}`));
    for (const a of c.version.aliases) title.append(h('span', 'badge', `@${a}`));
    if (c.againstLabel) title.append(h('span', 'versus', ` vs ${c.againstLabel}`));
    header.append(title);

    const tools = h('div', 'toolbar');
    const label = h('label', 'muted', 'Compare with');
    const select = document.createElement('vscode-single-select') as HTMLElement & { value: string };
    select.id = 'compare-with';
    label.htmlFor = select.id;
    for (const v of c.versions) {
      if (v.version === c.version.version) continue;
      const option = document.createElement('vscode-option');
      option.setAttribute('value', String(v.version));
      option.textContent = `v${v.version}${v.aliases.length ? ` (${v.aliases.map((a) => `@${a}`).join(' ')})` : ''}`;
      if (c.against?.version === v.version) option.setAttribute('selected', '');
      select.append(option);
    }
    if (!c.against) {
      const none = document.createElement('vscode-option');
      none.setAttribute('value', '');
      none.setAttribute('selected', '');
      none.textContent = '—';
      select.prepend(none);
    }
    select.addEventListener('change', () => {
      const version = Number(select.value);
      if (Number.isInteger(version) && version > 0) post({ type: 'compareWith', version });
    });
    const button = (icon: string, text: string, message: ModelVersionWebviewMessage) => {
      const b = document.createElement('vscode-button');
      b.setAttribute('icon', icon);
      b.setAttribute('secondary', '');
      b.textContent = text;
      b.addEventListener('click', () => post(message));
      return b;
    };
    tools.append(label, select, button('arrow-up', 'Promote…', { type: 'promote' }), button('type-hierarchy', 'Show Lineage', { type: 'showLineage' }));
    if (c.versions.length > 1) header.append(tools);
    else header.append(button('type-hierarchy', 'Show Lineage', { type: 'showLineage' }));

    const parts: Node[] = [header];
    if (c.notice) parts.push(h('p', 'notice', c.notice));
    const gate = gateSection(c.gate, c.gateMetric, c);
    if (gate) parts.push(gate);
    parts.push(versionCards(c, {
      openRun: (uid) => post({ type: 'openRun', uid }),
      revealArtifact: (side) => post({ type: 'revealArtifact', side }),
    }));
    parts.push(section('Metrics (last value of each source run)', metricsTable(c.metrics, c, c.gate)));

    const paramsBody = h('div');
    const fillParams = () => paramsBody.replaceChildren(paramsTable(c, state.allParams));
    fillParams();
    const paramsParts: Node[] = [];
    if (c.against && c.params.length > 0) {
      const toggle = document.createElement('vscode-checkbox') as HTMLElement & { checked: boolean };
      toggle.setAttribute('label', `Show all ${c.params.length} parameters`);
      if (state.allParams) toggle.setAttribute('checked', '');
      toggle.addEventListener('change', () => {
        state = { ...state, allParams: toggle.checked };
        host.setState(state);
        fillParams();
      });
      paramsParts.push(toggle);
    }
    paramsParts.push(paramsBody);
    parts.push(section(c.against ? 'Parameters that differ' : 'Parameters', ...paramsParts));
    parts.push(driftSection(c.drift, c));
    app.replaceChildren(...parts);
  };

  host.listen((msg) => {
    switch (msg.type) {
      case 'comparison':
        state = { ...state, subject: msg.subject };
        host.setState(state);
        render(msg.comparison);
        return;
      case 'loading':
        if (!current) status.textContent = msg.text;
        return;
      case 'notice':
        current = null;
        app.replaceChildren(h('p', 'notice', msg.text));
        return;
      default: {
        const never: never = msg;
        host.reportError(`unhandled message ${JSON.stringify(never).slice(0, 200)}`);
      }
    }
  });

  post({ type: 'ready' });
}

main();
