/**
 * Pan and zoom of the lineage drawing: screen = content · scale + offset. Pure arithmetic, so the
 * page's pointer, wheel and keyboard handlers stay small and this can be tested without a DOM.
 */
export const MIN_SCALE = 0.1;
export const MAX_SCALE = 4;
/** Below this a node's text is too small to read: a big graph opens at this scale instead of fitted. */
export const READABLE_SCALE = 0.7;

export interface ViewState {
  scale: number;
  x: number;
  y: number;
}

export function clampScale(scale: number): number {
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));
}

/** The whole content inside the view, centred, never enlarged past 1:1. */
export function fitView(content: { width: number; height: number }, view: { width: number; height: number }, padding = 16): ViewState {
  const w = Math.max(1, content.width);
  const h = Math.max(1, content.height);
  const scale = clampScale(Math.min(1, (view.width - 2 * padding) / w, (view.height - 2 * padding) / h));
  return { scale, x: (view.width - w * scale) / 2, y: (view.height - h * scale) / 2 };
}

/** Zooms by `factor` keeping the content point under (px, py) where it is on screen. */
export function zoomAt(v: ViewState, factor: number, px: number, py: number): ViewState {
  const scale = clampScale(v.scale * factor);
  const k = scale / v.scale;
  return { scale, x: px - (px - v.x) * k, y: py - (py - v.y) * k };
}

export function panBy(v: ViewState, dx: number, dy: number): ViewState {
  return { scale: v.scale, x: v.x + dx, y: v.y + dy };
}

/** Puts the content point (cx, cy) in the middle of the view at the given scale. */
export function centreOn(cx: number, cy: number, view: { width: number; height: number }, scale: number): ViewState {
  const s = clampScale(scale);
  return { scale: s, x: view.width / 2 - cx * s, y: view.height / 2 - cy * s };
}

/**
 * The first view of a graph: fitted when that is readable, otherwise readable-sized and centred on
 * `anchor` (the selected or focused node), so a 200-node graph does not open as a grey smudge.
 */
export function initialView(content: { width: number; height: number }, view: { width: number; height: number }, anchor: { x: number; y: number } | null): ViewState {
  const fitted = fitView(content, view);
  if (fitted.scale >= READABLE_SCALE) return fitted;
  const at = anchor ?? { x: content.width / 2, y: content.height / 2 };
  return centreOn(at.x, at.y, view, READABLE_SCALE);
}

export function isViewState(v: unknown): v is ViewState {
  const s = v as ViewState | undefined;
  return typeof s?.scale === 'number' && typeof s.x === 'number' && typeof s.y === 'number'
    && Number.isFinite(s.scale) && Number.isFinite(s.x) && Number.isFinite(s.y) && s.scale > 0;
}
