/**
 * The default recognition of metrics in one line of training output, shared by every framework
 * whose prints look alike:
 * - `key=value` anywhere (`loss=0.41 val/acc=0.87`, tqdm postfixes `[…, loss=0.5]`);
 * - `key: value` at the start of a field — after the line start, `,` `;` `|` `(` `[` `{` `:` or a
 *   ` - ` separator, or right after another recognised pair — and followed by the end of the field
 *   (Keras `- loss: 0.1234 - accuracy: 0.9012`, `Epoch 1, loss: 0.5`, `{'loss': 0.5, 'epoch': 1.0}`).
 *   A `train`/`val`/`test`/`eval` word before the key is kept (`val loss: 0.3` → "val loss").
 * - step markers: `Epoch 3/10`, `Epoch [3/10]`, `epoch 3`, `step=120`, `iter 50`, `global step 938`
 *   with an integer (`'epoch': 1.0`, a fraction of an epoch, is a metric instead).
 * Values are decimal numbers (`5e-05`, `-.5`), `nan`, `inf`, `-inf`, optionally wrapped as
 * `tensor(0.5…)` or `np.float64(0.5)`. A number followed by a unit or more digits (`2s`, `45%`,
 * `3/10`, `12:30:01`, `1.2.3`, `1,234`, `2024-01-01`) is not a value; URLs are ignored, as are
 * whole lines from package downloads and argparse `Namespace(…)` dumps.
 */

export type StepMarkerKind = 'global_step' | 'step' | 'iteration' | 'epoch';

export interface LineMetrics {
  /** Metric name and value, in the order printed (a repeated name: the last one counts). */
  metrics: Array<[string, number]>;
  /** Step markers found on the line. */
  steps: Array<{ kind: StepMarkerKind; value: number }>;
}

const NUMBER = String.raw`[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?`;
const NON_FINITE = String.raw`[+-]?(?:nan|inf(?:inity)?)`;
const WRAPPER = String.raw`(?:(?:np|numpy|torch)\.(?:float|int)(?:16|32|64)\(|tensor\()`;
const KEY = String.raw`[A-Za-z_](?:[\w./-]*\w)?`;
/** What may not follow a value: letters/units, `%`, `/`, `:`, another dot-part, thousands, dates. */
const VALUE_END = String.raw`(?![\w%/:]|\.\S|,\d|-[\w.])`;
/** Not inside a word, path, URL or `code` span (\x60 is a backtick). */
const NOT_INSIDE_WORD = String.raw`(?<![\w./\-\x60])`;

const PAIR = new RegExp(
  String.raw`${NOT_INSIDE_WORD}(?<q>['"]?)(?<key>${KEY})\k<q>[ \t]*(?<sep>[=:])[ \t]*(?<wrap>${WRAPPER})?(?<value>${NON_FINITE}|${NUMBER})${VALUE_END}`,
  'gi',
);
const STEP_MARKER = new RegExp(
  String.raw`${NOT_INSIDE_WORD}(?<q>['"]?)(?<key>global[_ ]step|epoch|step|iteration|iter)\k<q>(?:[ \t]*[=:][ \t]*|[ \t]+)\[?[ \t]*(?<n>\d+)(?:[ \t]*/[ \t]*\d+)?[ \t]*\]?(?![\w%/]|\.\S|,\d)`,
  'gi',
);
const URL = /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>)\]]*/gi;
const SKIPPED_LINE = /^(?:downloading|downloaded|uploading|extracting|collecting|installing|requirement already|successfully installed|resolving|fetching|using cached)\b/i;
const FIELD_SEPARATOR_BEFORE = /(?:[,;|(\[{:)\]]|(?:^|\s)[-–—])$/;
/** Sticky: tested at the end of a value. */
const FIELD_END_AFTER = /[ \t]*(?:$|[,;|)\]}'"]|[-–—](?:\s|$)|[^\s=:]+[ \t]*[=:])/y;
const SPLIT_PREFIX = /(?<![\w./-])(train|training|val|valid|validation|test|eval|dev)[ \t]+$/i;
const LOOK_BEHIND = 256;
const IGNORED_KEYS = new Set(['eta', 'v_num']);
const WHOLE_NUMBER = new RegExp(`^${NUMBER}$`);
const HAS_NUMBER_LIKE = /\d|nan|inf/i;

/** Metrics and step markers in one line of visible text (see the module comment). Never throws. */
export function extractLineMetrics(line: string): LineMetrics {
  const result: LineMetrics = { metrics: [], steps: [] };
  const text = line.trim();
  if (!HAS_NUMBER_LIKE.test(text) || SKIPPED_LINE.test(text) || text.includes('Namespace(')) return result;
  const scanned = text.replace(URL, (url) => ' '.repeat(url.length));

  // Spans of step markers (in order), and where recognised tokens end: a `key: value` may follow one.
  const stepSpans: Array<[number, number]> = [];
  const tokenEnds = new Set<number>();
  for (const m of scanned.matchAll(STEP_MARKER)) {
    const value = Number(m.groups!.n);
    if (!Number.isSafeInteger(value)) continue;
    result.steps.push({ kind: stepKind(m.groups!.key), value });
    stepSpans.push([m.index, m.index + m[0].length]);
    tokenEnds.add(m.index + m[0].length);
  }
  // Only a short window before a candidate is looked at, so a long line costs linear time.
  const startsField = (position: number): boolean => {
    const windowStart = Math.max(0, position - LOOK_BEHIND);
    const before = scanned.slice(windowStart, position).trimEnd();
    if (before === '') return windowStart === 0;
    return FIELD_SEPARATOR_BEFORE.test(before) || tokenEnds.has(windowStart + before.length);
  };

  let nextStep = 0;
  for (const m of scanned.matchAll(PAIR)) {
    const start = m.index;
    const end = start + m[0].length;
    while (nextStep < stepSpans.length && stepSpans[nextStep][1] <= start) nextStep++;
    if (nextStep < stepSpans.length && stepSpans[nextStep][0] < end) continue; // `epoch=3` is a step marker
    let key = m.groups!.key;
    if (IGNORED_KEYS.has(key.toLowerCase())) continue;
    if (m.groups!.sep === ':') {
      if (!startsField(start)) {
        const windowStart = Math.max(0, start - LOOK_BEHIND);
        const split = m.groups!.q === '' ? SPLIT_PREFIX.exec(scanned.slice(windowStart, start)) : null;
        if (!split || !startsField(windowStart + split.index)) continue;
        key = `${split[1]} ${key}`;
      }
      FIELD_END_AFTER.lastIndex = end;
      if (!FIELD_END_AFTER.test(scanned)) continue;
    }
    const value = parseMetricNumber(m.groups!.value);
    if (value === undefined) continue;
    result.metrics.push([key, value]);
    tokenEnds.add(end);
  }
  return result;
}

/**
 * The number a printed metric value stands for: decimal numbers, and Python's / JavaScript's
 * spellings of the non-finite ones (`nan`, `inf`, `-inf`, `Infinity`). Undefined for anything else.
 */
export function parseMetricNumber(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (/^[+-]?nan$/.test(t)) return NaN;
  if (/^\+?inf(?:inity)?$/.test(t)) return Infinity;
  if (/^-inf(?:inity)?$/.test(t)) return -Infinity;
  if (!WHOLE_NUMBER.test(t)) return undefined;
  const n = Number(t);
  return Number.isNaN(n) ? undefined : n;
}

function stepKind(key: string): StepMarkerKind {
  const k = key.toLowerCase();
  if (k.startsWith('global')) return 'global_step';
  if (k === 'iter' || k === 'iteration') return 'iteration';
  return k === 'epoch' ? 'epoch' : 'step';
}
