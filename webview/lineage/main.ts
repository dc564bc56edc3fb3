/**
 * The Lineage panel's page: receives the graph from the host, lays it out and draws it, and sends
 * back what the user asks for (open a node, focus on one, show everything). Only UI intent (the
 * view transform and the selection) is kept with setState; the graph is always sent by the host.
 */
import '../common/jitless';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import css from './lineage.css';
import { adoptStyles } from '../common/dom';
import { HostConnection } from '../common/hostConnection';
import { createLineageProtocol, type LineageHostMessage, type LineageWebviewMessage } from '../../src/shared/protocol/lineage';
import { LineageView } from './graphView';
import { isViewState, type ViewState } from './viewport';

interface SavedState {
  /** Which graph the view belongs to: a restored page keeps its pan and zoom only for the same one. */
  graphKey: string;
  view: ViewState | null;
  selected: string | null;
  /** What the graph is focused on, as the host said; the host reads it back to restore the panel after a reload. */
  focus?: unknown;
}

function main(): void {
  const host = new HostConnection<LineageHostMessage, LineageWebviewMessage, SavedState>(createLineageProtocol().hostMessage, readSavedState);
  const post = (m: LineageWebviewMessage) => host.post(m);
  adoptStyles(css);

  const app = document.getElementById('app')!;
  app.className = 'lineage';
  const toolbar = add(app, 'header', 'toolbar');
  const title = add(toolbar, 'span', 'title');
  title.textContent = 'Lineage';
  const focusLabel = add(toolbar, 'span', 'focus-label');
  const spacer = add(toolbar, 'span', 'spacer');
  spacer.setAttribute('aria-hidden', 'true');
  const find = add(toolbar, 'vscode-textfield', 'find') as HTMLElement & { value: string };
  find.setAttribute('placeholder', 'Find a node');
  find.setAttribute('aria-label', 'Find a node by name');
  const findCount = add(toolbar, 'span', 'find-count');
  const button = (icon: string, label: string, tip: string, iconOnly: boolean) => {
    const b = add(toolbar, 'vscode-button');
    b.setAttribute('icon', icon);
    b.setAttribute('secondary', '');
    b.setAttribute('title', tip);
    b.setAttribute('aria-label', tip);
    if (iconOnly) b.setAttribute('icon-only', '');
    else b.textContent = label;
    return b;
  };
  const zoomIn = button('zoom-in', 'Zoom in', 'Zoom in (+)', true);
  const zoomOut = button('zoom-out', 'Zoom out', 'Zoom out (-)', true);
  const fit = button('screen-full', 'Fit', 'Fit the whole graph (0)', true);
  const focusBtn = button('target', 'Focus', 'Show only the lineage of the selected node (F)', false);
  const showAll = button('type-hierarchy', 'Show all', 'Show the lineage of every model version', false);

  const legend = add(app, 'div', 'legend');
  for (const [kind, text] of [['dataset', 'dataset version'], ['run', 'run'], ['model', 'model version'], ['derived', 'derived from']] as const) {
    const item = add(legend, 'span', `legend-item legend-${kind}`);
    add(item, 'span', 'swatch').setAttribute('aria-hidden', 'true');
    add(item, 'span').textContent = text;
  }
  const canvas = add(app, 'div', 'canvas');
  const empty = add(app, 'div', 'empty');
  empty.hidden = true;
  const status = add(app, 'footer', 'status');
  status.setAttribute('role', 'status');

  let state = host.state;
  const save = (patch: Partial<SavedState>) => {
    state = { ...state, ...patch };
    host.setState(state);
  };

  const view = new LineageView(canvas, {
    open: (id) => post({ type: 'openNode', id }),
    focus: (id) => post({ type: 'focusNode', id }),
    selected: (id) => {
      save({ selected: id });
      focusBtn.toggleAttribute('disabled', id === null);
    },
    viewChanged: (v) => save({ view: v }),
  });
  focusBtn.toggleAttribute('disabled', true);

  zoomIn.addEventListener('click', () => view.zoom(1.25));
  zoomOut.addEventListener('click', () => view.zoom(0.8));
  fit.addEventListener('click', () => view.fit());
  focusBtn.addEventListener('click', () => {
    if (view.selected) post({ type: 'focusNode', id: view.selected });
  });
  showAll.addEventListener('click', () => post({ type: 'showAll' }));
  const runFind = (next: boolean) => {
    const n = view.find(find.value, next);
    findCount.textContent = find.value.trim() === '' ? '' : n === 0 ? 'no match' : `${n} match${n === 1 ? '' : 'es'}`;
  };
  find.addEventListener('input', () => runFind(false));
  find.addEventListener('keydown', (e) => {
    if ((e as KeyboardEvent).key === 'Enter') runFind(true);
  });

  host.listen((msg) => {
    switch (msg.type) {
      case 'graph': {
        const graphKey = msg.focusLabel ?? '*';
        const sameGraph = graphKey === state.graphKey;
        focusLabel.textContent = msg.focusLabel ? `around ${msg.focusLabel}` : 'every model version';
        showAll.toggleAttribute('disabled', msg.focusLabel === null);
        const nodes = msg.graph.nodes.length;
        empty.hidden = nodes > 0;
        canvas.hidden = nodes === 0;
        empty.textContent = nodes === 0 ? 'No model versions yet: nothing to trace. Versions come from runs that log models, from the MLflow registry, or from "ExpTrack: Register Model Version".' : '';
        view.render(msg.graph, sameGraph ? state.view : null, sameGraph ? state.selected : null);
        save({ graphKey, view: sameGraph ? state.view : null, selected: view.selected, focus: msg.focus });
        const counts = { dataset: 0, run: 0, model: 0 };
        for (const n of msg.graph.nodes) counts[n.kind]++;
        status.textContent = `${counts.dataset} dataset version${counts.dataset === 1 ? '' : 's'} · ${counts.run} run${counts.run === 1 ? '' : 's'} · ${counts.model} model version${counts.model === 1 ? '' : 's'} · ${msg.graph.edges.length} links`;
        if (find.value.trim() !== '') runFind(false);
        return;
      }
      case 'select':
        view.select(msg.id, true);
        return;
      default: {
        const never: never = msg;
        host.reportError(`unhandled message ${JSON.stringify(never).slice(0, 200)}`);
      }
    }
  });

  post({ type: 'ready' });
}

function readSavedState(saved: unknown): SavedState {
  const s = saved as Partial<SavedState> | undefined;
  return {
    graphKey: typeof s?.graphKey === 'string' ? s.graphKey : '',
    view: isViewState(s?.view) ? s.view : null,
    selected: typeof s?.selected === 'string' ? s.selected : null,
    focus: s?.focus ?? null,
  };
}

function add<K extends keyof HTMLElementTagNameMap>(parent: HTMLElement, tag: K | string, className?: string): HTMLElement {
  const e = document.createElement(tag);
  if (className) e.className = className;
  parent.appendChild(e);
  return e;
}

main();
