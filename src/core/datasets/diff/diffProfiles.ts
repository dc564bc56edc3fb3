/**
 * Compares two data files' profiles: columns added, removed and probably renamed; type,
 * nullability, range, category and date-format changes; drift; row counts.
 *
 * Severities: `error` where consumers of the data break (a column gone, a type changed);
 * `warning` where the data moved beyond a threshold or shows something new (new column, new
 * categories, values outside the old range, more missing values, drift, a rename, a new date
 * format); `info` for changes worth knowing that break nothing (categories no longer seen, a
 * narrower range, fewer missing values).
 */
import type {
  ColumnComparison, ColumnProfile, DatasetProfile, DriftThresholds, SchemaDiff,
} from '../../../shared/schemaDiff';
import { jensenShannonHistograms, lInfinity } from '../drift';
import { columnDrift, isCategoricalPair, isNumericPair } from './columnDrift';
import { matchColumns, type StatSimilarity } from './columnMatching';
import { percent } from '../../../shared/schemaDiffText';
import { FindingCollector, compareColumns, listValues, num, quoteValues, worstOf } from './findings';
import { dataColumnSide, dataSide } from './sides';

/** Columns with fewer distinct values can hold the same multiset by chance (two 0/1 flags). */
const MIN_DISTINCT_FOR_IDENTITY = 10;

/** The same multiset of values: strong evidence of one column renamed, given enough distinct values. */
function sameValues(a: ColumnProfile, b: ColumnProfile): boolean {
  if (a.present !== b.present || a.present === 0 || a.distinct.count < MIN_DISTINCT_FOR_IDENTITY) return false;
  if (a.numeric && b.numeric) {
    return a.numeric.exact && b.numeric.exact && a.sample.length === b.sample.length && a.sample.every((x, i) => x === b.sample[i]);
  }
  if (!a.categorical?.complete || !b.categorical?.complete || a.valueCounts.length !== b.valueCounts.length) return false;
  const bCounts = new Map(b.valueCounts.map((v) => [v.value, v.count]));
  return a.valueCounts.every((v) => bCounts.get(v.value) === v.count);
}

/** How alike two columns' statistics are (type, missing share, distinct count, distribution). */
export function profileSimilarity(a: ColumnProfile, b: ColumnProfile): StatSimilarity {
  const reasons: string[] = [];
  const numericTypes = new Set(['int', 'float']);
  let typeScore = 0;
  if (a.type === b.type) {
    typeScore = 1;
    reasons.push(`same type ${a.type}`);
  } else if (numericTypes.has(a.type) && numericTypes.has(b.type)) {
    typeScore = 0.8;
    reasons.push(`types ${a.type} and ${b.type}`);
  } else {
    reasons.push(`types differ (${a.type}, ${b.type})`);
  }
  const missingScore = 1 - Math.abs(a.missingFraction - b.missingFraction);
  reasons.push(`missing ${percent(a.missingFraction)} vs ${percent(b.missingFraction)}`);
  const da = a.distinct.count;
  const db = b.distinct.count;
  const distinctScore = da === 0 && db === 0 ? 1 : Math.min(da, db) / Math.max(da, db);
  reasons.push(`distinct ${da} vs ${db}`);
  let distributionScore = 0.5;
  if (isNumericPair(a, b)) {
    const js = jensenShannonHistograms(a.numeric!.histogram, b.numeric!.histogram);
    if (js) {
      distributionScore = 1 - js.value;
      reasons.push(`Jensen–Shannon divergence ${num(js.value)}`);
    }
  } else if (isCategoricalPair(a, b)) {
    const linf = lInfinity(a.valueCounts, b.valueCounts);
    if (linf) {
      distributionScore = 1 - linf.distance;
      reasons.push(`L-infinity distance ${num(linf.distance)}`);
    }
  } else if (typeScore === 0) {
    distributionScore = 0;
  }
  const score = 0.3 * typeScore + 0.15 * missingScore + 0.15 * distinctScore + 0.4 * distributionScore;
  return { score, reasons, identical: sameValues(a, b) };
}

function compareNumericRange(a: ColumnProfile, b: ColumnProfile, t: DriftThresholds, name: string, findings: FindingCollector): void {
  const na = a.numeric!;
  const nb = b.numeric!;
  if (na.count === 0 || nb.count === 0) return;
  const range = na.max - na.min;
  const tol = t.rangeTolerance * (range > 0 ? range : Math.max(Math.abs(na.max), 1));
  const isInt = b.type === 'int';
  if (nb.min < na.min - tol) {
    findings.add(isInt ? 'INT_TYPE_SMALL_INT' : 'FLOAT_TYPE_SMALL_FLOAT', 'warning', name, `values below A's range: minimum ${num(na.min)} → ${num(nb.min)}`, { from: num(na.min), to: num(nb.min) });
  }
  if (nb.max > na.max + tol) {
    findings.add(isInt ? 'INT_TYPE_BIG_INT' : 'FLOAT_TYPE_BIG_FLOAT', 'warning', name, `values above A's range: maximum ${num(na.max)} → ${num(nb.max)}`, { from: num(na.max), to: num(nb.max) });
  }
  if (nb.min > na.min + tol || nb.max < na.max - tol) {
    findings.add('RANGE_NARROWED', 'info', name, `range narrowed: [${num(na.min)}, ${num(na.max)}] → [${num(nb.min)}, ${num(nb.max)}]`, {
      from: `[${num(na.min)}, ${num(na.max)}]`,
      to: `[${num(nb.min)}, ${num(nb.max)}]`,
    });
  }
  if (na.nan === 0 && nb.nan > 0) findings.add('FLOAT_TYPE_HAS_NAN', 'warning', name, `${nb.nan} NaN value${nb.nan === 1 ? '' : 's'} in B, none in A`, { measured: nb.nan });
  if (na.infinite === 0 && nb.infinite > 0) findings.add('FLOAT_TYPE_HAS_INF', 'warning', name, `${nb.infinite} infinite value${nb.infinite === 1 ? '' : 's'} in B, none in A`, { measured: nb.infinite });
}

function compareCategories(a: ColumnProfile, b: ColumnProfile, t: DriftThresholds, name: string, findings: FindingCollector): void {
  if (!a.categorical?.complete || !b.categorical?.complete) return;
  if (a.distinct.count > t.categoricalMaxDistinct || b.distinct.count > t.categoricalMaxDistinct) return;
  const inA = new Set(a.valueCounts.map((v) => v.value));
  const inB = new Set(b.valueCounts.map((v) => v.value));
  const added = [...inB].filter((v) => !inA.has(v));
  const vanished = [...inA].filter((v) => !inB.has(v));
  if (added.length > 0) {
    const listed = listValues(added);
    const share = b.valueCounts.filter((v) => !inA.has(v.value)).reduce((s, v) => s + v.count, 0) / Math.max(1, b.present);
    findings.add('ENUM_TYPE_UNEXPECTED_STRING_VALUES', 'warning', name, `${added.length} value${added.length === 1 ? '' : 's'} not seen in A (${percent(share)} of B): ${quoteValues(listed.values!, listed.moreValues)}`, { ...listed, measured: share });
  }
  if (vanished.length > 0) {
    const listed = listValues(vanished);
    findings.add('DOMAIN_VALUES_VANISHED', 'info', name, `${vanished.length} value${vanished.length === 1 ? '' : 's'} of A no longer seen: ${quoteValues(listed.values!, listed.moreValues)}`, listed);
  }
}

function compareMissing(a: ColumnProfile, b: ColumnProfile, t: DriftThresholds, name: string, findings: FindingCollector): void {
  const ma = a.missingFraction;
  const mb = b.missingFraction;
  if (mb > ma && (ma === 0 || mb - ma > t.missingFractionIncrease)) {
    const message = ma === 0 ? `now has missing values: 0% → ${percent(mb)} (${b.missing} of ${b.missing + b.present} rows)` : `more missing values: ${percent(ma)} → ${percent(mb)}`;
    findings.add('FEATURE_TYPE_LOW_FRACTION_PRESENT', 'warning', name, message, { from: percent(ma), to: percent(mb), measured: mb, threshold: t.missingFractionIncrease });
  } else if (ma > mb && (mb === 0 || ma - mb > t.missingFractionIncrease)) {
    findings.add('MISSING_FRACTION_DECREASED', 'info', name, `fewer missing values: ${percent(ma)} → ${percent(mb)}`, { from: percent(ma), to: percent(mb), measured: mb });
  }
}

function comparePair(a: ColumnProfile, b: ColumnProfile, t: DriftThresholds, findings: FindingCollector): ColumnComparison['drift'] {
  const name = b.name;
  if (a.type !== b.type && a.type !== 'empty' && b.type !== 'empty') {
    findings.add('UNEXPECTED_DATA_TYPE', 'error', name, `type changed: ${a.type} → ${b.type}`, { from: a.type, to: b.type });
  }
  if (b.type === 'empty' && a.type !== 'empty' && b.missing > 0) {
    findings.add('FEATURE_TYPE_NOT_PRESENT', 'warning', name, `no values in B: all ${b.missing} rows are missing (A had ${a.present})`, { measured: b.missing });
  } else {
    compareMissing(a, b, t, name, findings);
  }
  if (a.dateFormat && b.dateFormat && a.dateFormat !== b.dateFormat) {
    findings.add('DATE_FORMAT_CHANGED', 'warning', name, `date format changed: ${a.dateFormat} → ${b.dateFormat}`, { from: a.dateFormat, to: b.dateFormat });
  }
  if (isNumericPair(a, b)) compareNumericRange(a, b, t, name, findings);
  if (isCategoricalPair(a, b)) compareCategories(a, b, t, name, findings);

  const drift = columnDrift(a, b, t);
  if (drift?.lInfinity && drift.lInfinity.value > t.lInfinity) {
    const d = drift.lInfinity;
    findings.add('COMPARATOR_L_INFTY_HIGH', 'warning', name, `L-infinity distance ${num(d.value)} above ${num(t.lInfinity)}; the value that moved most is ${JSON.stringify(d.maxValue)}`, { measured: d.value, threshold: t.lInfinity });
  }
  if (drift?.jensenShannon && drift.jensenShannon.value > t.jensenShannon) {
    findings.add('COMPARATOR_JENSEN_SHANNON_DIVERGENCE_HIGH', 'warning', name, `Jensen–Shannon divergence ${num(drift.jensenShannon.value)} above ${num(t.jensenShannon)}`, { measured: drift.jensenShannon.value, threshold: t.jensenShannon });
  }
  if (drift?.psi && drift.psi.value > t.psi) {
    findings.add('PSI_HIGH', 'warning', name, `population stability index ${num(drift.psi.value)} above ${num(t.psi)}`, { measured: drift.psi.value, threshold: t.psi });
  }
  return drift;
}

export function diffProfiles(a: DatasetProfile, b: DatasetProfile, thresholds: DriftThresholds): SchemaDiff {
  const findings = new FindingCollector();
  const columns: ColumnComparison[] = [];
  const sideA = dataSide(a);
  const sideB = dataSide(b);
  if (sideA.usable && sideB.usable) {
    for (const m of matchColumns(a.columns, b.columns, profileSimilarity, thresholds.renameMinScore)) {
      if (m.a && m.b) {
        if (m.rename) {
          findings.add('COLUMN_RENAMED', 'warning', m.b.name, `probably renamed from ${JSON.stringify(m.a.name)} (evidence ${m.rename.score}: ${m.rename.reasons.join('; ')})`, { from: m.a.name, to: m.b.name, measured: m.rename.score, threshold: thresholds.renameMinScore });
        }
        const drift = comparePair(m.a, m.b, thresholds, findings);
        const about = findings.about(m.b.name);
        columns.push({
          status: m.rename ? 'renamed' : about.length > 0 ? 'changed' : 'unchanged',
          name: m.b.name,
          a: dataColumnSide(m.a),
          b: dataColumnSide(m.b),
          ...(m.rename && { rename: m.rename }),
          ...(drift && { drift }),
          ...(about.length > 0 && { worst: worstOf(about) }),
        });
      } else if (m.a) {
        findings.add('SCHEMA_MISSING_COLUMN', 'error', m.a.name, `column missing from B (was ${m.a.type} in A)`, { from: m.a.type });
        columns.push({ status: 'removed', name: m.a.name, a: dataColumnSide(m.a), worst: 'error' });
      } else if (m.b) {
        findings.add('SCHEMA_NEW_COLUMN', 'warning', m.b.name, `new column (${m.b.type}) not in A`, { to: m.b.type });
        columns.push({ status: 'added', name: m.b.name, b: dataColumnSide(m.b), worst: 'warning' });
      }
    }
    if (a.rowCount > 0) {
      const ratio = b.rowCount / a.rowCount;
      if (ratio < thresholds.rowCountRatioLow) {
        findings.add('COMPARATOR_LOW_NUM_EXAMPLES', 'warning', undefined, `rows ${a.rowCount} → ${b.rowCount} (×${num(ratio)}, below ×${num(thresholds.rowCountRatioLow)})`, { measured: ratio, threshold: thresholds.rowCountRatioLow });
      } else if (ratio > thresholds.rowCountRatioHigh) {
        findings.add('COMPARATOR_HIGH_NUM_EXAMPLES', 'warning', undefined, `rows ${a.rowCount} → ${b.rowCount} (×${num(ratio)}, above ×${num(thresholds.rowCountRatioHigh)})`, { measured: ratio, threshold: thresholds.rowCountRatioHigh });
      }
    }
  }
  return {
    version: 1,
    mode: 'data-data',
    a: sideA,
    b: sideB,
    columns: columns.sort(compareColumns),
    findings: findings.sorted(),
    counts: findings.counts(),
    thresholds,
  };
}
