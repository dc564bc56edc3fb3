/**
 * What a run is read by: a column of the Runs table, a key of the search syntax, a sort key. One
 * type for all three, so a column the user sorts by and the order-by the CLI takes are the same
 * thing written the same way (fieldText).
 */

/** Run attributes, named as MLflow's search syntax names them (plus experiment and source_kind). */
export const RUN_ATTRIBUTES = ['run_id', 'run_name', 'status', 'start_time', 'end_time', 'experiment', 'user_id', 'source_kind'] as const;
export type RunAttribute = (typeof RUN_ATTRIBUTES)[number];

/** Attributes that hold numbers: start and end time, in milliseconds since the epoch as in MLflow. */
export const NUMERIC_ATTRIBUTES: ReadonlySet<RunAttribute> = new Set<RunAttribute>(['start_time', 'end_time']);

/** Which summary of a metric: the latest value (MLflow's `metrics.x`), the least, the greatest, or how many points. */
export const METRIC_AGGREGATES = ['last', 'min', 'max', 'count'] as const;
export type MetricAggregate = (typeof METRIC_AGGREGATES)[number];

export type RunField =
  | { kind: 'attribute'; key: RunAttribute }
  | { kind: 'metric'; key: string; agg: MetricAggregate }
  | { kind: 'param'; key: string }
  | { kind: 'tag'; key: string };

export type SortDirection = 'asc' | 'desc';

export interface SortKey {
  field: RunField;
  dir: SortDirection;
}

/** A key that needs no quoting after `metrics.`: letters, digits and underscores, dot-separated. */
const BARE_KEY = /^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/;

/** A key as the search syntax writes it: bare when it can be, else in backticks (a backtick doubled). */
export function quoteKey(key: string): string {
  return BARE_KEY.test(key) ? key : `\`${key.replace(/`/g, '``')}\``;
}

/** The field in the search syntax, e.g. `metrics.val_loss`, `min(metrics.loss)`, ``params.`model-type` ``. */
export function fieldText(field: RunField): string {
  switch (field.kind) {
    case 'attribute':
      return `attributes.${field.key}`;
    case 'metric':
      return field.agg === 'last' ? `metrics.${quoteKey(field.key)}` : `${field.agg}(metrics.${quoteKey(field.key)})`;
    case 'param':
      return `params.${quoteKey(field.key)}`;
    case 'tag':
      return `tags.${quoteKey(field.key)}`;
  }
}

/** An order-by clause for these sort keys, e.g. `metrics.val_loss ASC, attributes.start_time DESC`. */
export function orderByText(keys: readonly SortKey[]): string {
  return keys.map((k) => `${fieldText(k.field)} ${k.dir.toUpperCase()}`).join(', ');
}

const ATTRIBUTE_LABELS: Record<RunAttribute, string> = {
  run_id: 'Run ID', run_name: 'Name', status: 'Status', start_time: 'Started', end_time: 'Ended',
  experiment: 'Experiment', user_id: 'User', source_kind: 'Source',
};

/** A column header: `val_loss`, `val_loss (min)`, `lr`, `note` — with its kind said by `fieldKindLabel`. */
export function fieldLabel(field: RunField): string {
  switch (field.kind) {
    case 'attribute':
      return ATTRIBUTE_LABELS[field.key];
    case 'metric':
      return field.agg === 'last' ? field.key : `${field.key} (${field.agg})`;
    case 'param':
    case 'tag':
      return field.key;
  }
}

export function fieldKindLabel(field: RunField): string {
  return { attribute: 'attribute', metric: 'metric', param: 'parameter', tag: 'tag' }[field.kind];
}

/** A string that names the field uniquely (for maps and DOM ids). */
export function fieldId(field: RunField): string {
  return field.kind === 'metric' ? `metric:${field.agg}:${field.key}` : `${field.kind}:${field.key}`;
}

export function sameField(a: RunField, b: RunField): boolean {
  return fieldId(a) === fieldId(b);
}
