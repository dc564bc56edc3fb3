import { randomBytes } from 'node:crypto';

const RUN_ID_PATTERN = /^\d{8}-\d{6}-[0-9a-f]{8}$/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/**
 * A new run id: the UTC start time `YYYYMMDD-HHMMSS-` followed by 8 random lowercase hex digits,
 * e.g. `20261122-014211-a1b2c3d4`. Ids sort by start time and are safe as directory names.
 */
export function newRunId(now: Date = new Date()): string {
  const date = `${pad(now.getUTCFullYear(), 4)}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}`;
  const time = `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
  return `${date}-${time}-${randomBytes(4).toString('hex')}`;
}

/** True when `s` has the shape of an id made by {@link newRunId}. */
export function isRunId(s: string): boolean {
  return RUN_ID_PATTERN.test(s);
}
