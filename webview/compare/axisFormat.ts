/** Tick labels for the x axis modes and the values of the y axis. */
import type { XAxisMode } from '../../src/shared/compare/compareTypes';
import { formatMetricValue } from '../../src/shared/format';

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

export const X_AXIS_LABELS: Record<XAxisMode, string> = {
  step: 'Step',
  wallTime: 'Wall time',
  relativeTime: 'Time since start',
};

export function formatX(mode: XAxisMode, value: number, range = 0): string {
  switch (mode) {
    case 'step':
      return Math.abs(value) >= 10_000 ? compact.format(value) : String(Math.round(value * 100) / 100);
    case 'wallTime':
      return formatClock(value, range);
    case 'relativeTime':
      return formatSeconds(value);
  }
}

/** Seconds since the epoch as local time: the date joins in when the axis spans days. */
function formatClock(epochSeconds: number, range: number): string {
  const d = new Date(epochSeconds * 1000);
  const p = (x: number) => String(x).padStart(2, '0');
  const time = range < 120 ? `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}` : `${p(d.getHours())}:${p(d.getMinutes())}`;
  return range >= 86_400 ? `${p(d.getMonth() + 1)}-${p(d.getDate())} ${time}` : time;
}

/** e.g. 45s, 12m 5s, 3h 20m. */
export function formatSeconds(seconds: number): string {
  const sign = seconds < 0 ? '-' : '';
  let s = Math.abs(seconds);
  if (s < 60) return `${sign}${Math.round(s * 10) / 10}s`;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s = Math.round(s - m * 60);
  if (h > 0) return `${sign}${h}h${m ? ` ${m}m` : ''}`;
  return `${sign}${m}m${s ? ` ${s}s` : ''}`;
}

export function formatY(value: number): string {
  return formatMetricValue(value);
}
