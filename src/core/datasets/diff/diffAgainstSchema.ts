/**
 * Validates observed data (a profile) against a TFDV schema, as TFDV's validate_statistics does:
 * required features missing, new columns, types, presence, and string/int/float/bool domains.
 *
 * A schema is a contract, so breaking a constraint it states is an `error` (TFDV reports these
 * with severity ERROR too). A column the schema does not know is a `warning`; a missing optional
 * feature is `info`. Deprecated features are not checked.
 */
import type { ColumnComparison, ColumnProfile, DatasetProfile, DriftThresholds, SchemaDiff } from '../../../shared/schemaDiff';
import type { TfdvFeature, TfdvSchema } from '../tfdvSchema';
import { matchColumns, type StatSimilarity } from './columnMatching';
import { percent } from '../../../shared/schemaDiffText';
import { FindingCollector, compareColumns, listValues, num, worstOf } from './findings';
import { dataColumnSide, dataSide, schemaColumnSide, schemaSide } from './sides';

/** Whether data of `observed` type satisfies the feature's declared type. */
function typeAccepts(f: TfdvFeature, observed: ColumnProfile['type']): boolean {
  if (observed === 'empty') return true;
  switch (f.tfdvType) {
    case 'INT':
      return observed === 'int' || observed === 'bool';
    case 'FLOAT':
      return observed === 'int' || observed === 'float';
    case 'BYTES':
      return observed !== 'int' && observed !== 'float' && observed !== 'nested';
    case 'STRUCT':
      return observed === 'nested';
    default:
      return true;
  }
}

function isRequired(f: TfdvFeature): boolean {
  return (f.presence?.minCount ?? 0) >= 1 || (f.presence?.minFraction ?? 0) > 0;
}

/** A schema has no statistics to compare, so a fitting type is weak evidence: renames rest on names. */
function schemaSimilarity(f: TfdvFeature, c: ColumnProfile): StatSimilarity {
  const ok = typeAccepts(f, c.type);
  return { score: ok ? 0.6 : 0.2, reasons: [ok ? `type ${c.type} fits ${f.tfdvType}` : `type ${c.type} does not fit ${f.tfdvType}`] };
}

/** Share label in TFDV's style: "Prcard (<1%)". */
function withShare(value: string, count: number, present: number): string {
  const share = present > 0 ? count / present : 0;
  return `${JSON.stringify(value)} (${share < 0.01 ? '<1%' : percent(share)})`;
}

function checkDomain(f: TfdvFeature, c: ColumnProfile, findings: FindingCollector): void {
  const name = c.name;
  const d = f.domain;
  if (!d || c.present === 0) return;
  if (d.kind === 'string') {
    const allowed = new Set(d.values);
    const outside = c.valueCounts.filter((v) => !allowed.has(v.value));
    if (outside.length === 0) return;
    const mass = outside.reduce((s, v) => s + v.count, 0) / c.present;
    const maxOffDomain = 1 - (f.minDomainMass ?? 1);
    if (mass <= maxOffDomain) return;
    const listed = listValues(outside.map((v) => v.value));
    const shown = outside.filter((v) => listed.values!.includes(v.value)).sort((x, y) => (x.value < y.value ? -1 : 1)).map((v) => withShare(v.value, v.count, c.present));
    const partial = c.categorical?.complete ? '' : ` (checked the ${c.valueCounts.length} most frequent values)`;
    findings.add('ENUM_TYPE_UNEXPECTED_STRING_VALUES', 'error', name, `values outside the schema's domain${d.name ? ` "${d.name}"` : ''}: ${shown.join(', ')}${listed.moreValues ? ` and ${listed.moreValues} more` : ''}${partial}`, { ...listed, measured: mass, threshold: maxOffDomain });
    return;
  }
  const n = c.numeric;
  if ((d.kind === 'int' || d.kind === 'float') && n && n.count > 0) {
    const isInt = d.kind === 'int';
    if (d.min !== undefined && n.min < d.min) {
      findings.add(isInt ? 'INT_TYPE_SMALL_INT' : 'FLOAT_TYPE_SMALL_FLOAT', 'error', name, `minimum ${num(n.min)} is below the domain's min ${num(d.min)}`, { measured: n.min, threshold: d.min });
    }
    if (d.max !== undefined && n.max > d.max) {
      findings.add(isInt ? 'INT_TYPE_BIG_INT' : 'FLOAT_TYPE_BIG_FLOAT', 'error', name, `maximum ${num(n.max)} is above the domain's max ${num(d.max)}`, { measured: n.max, threshold: d.max });
    }
  }
  if (d.kind === 'float' && n) {
    if (d.disallowNan && n.nan > 0) findings.add('FLOAT_TYPE_HAS_NAN', 'error', name, `${n.nan} NaN value${n.nan === 1 ? '' : 's'}, which the domain disallows`, { measured: n.nan });
    if (d.disallowInf && n.infinite > 0) findings.add('FLOAT_TYPE_HAS_INF', 'error', name, `${n.infinite} infinite value${n.infinite === 1 ? '' : 's'}, which the domain disallows`, { measured: n.infinite });
  }
  if (d.kind === 'bool') {
    if (c.type === 'bool') return;
    if (n && n.count > 0 && (c.type === 'int' || c.type === 'float')) {
      if (n.min < 0) findings.add('BOOL_TYPE_SMALL_INT', 'error', name, `a boolean feature holds ${num(n.min)} (below 0)`, { measured: n.min, threshold: 0 });
      if (n.max > 1) findings.add('BOOL_TYPE_BIG_INT', 'error', name, `a boolean feature holds ${num(n.max)} (above 1)`, { measured: n.max, threshold: 1 });
      return;
    }
    const allowed = new Set([d.trueValue ?? 'true', d.falseValue ?? 'false']);
    const outside = c.valueCounts.filter((v) => !allowed.has(v.value)).map((v) => v.value);
    if (outside.length > 0) {
      const listed = listValues(outside);
      findings.add('BOOL_TYPE_UNEXPECTED_STRING', 'error', name, `values that are neither ${[...allowed].map((v) => JSON.stringify(v)).join(' nor ')}: ${listed.values!.map((v) => JSON.stringify(v)).join(', ')}${listed.moreValues ? ` and ${listed.moreValues} more` : ''}`, listed);
    }
  }
}

function checkPresence(f: TfdvFeature, c: ColumnProfile, rows: number, findings: FindingCollector): void {
  if (rows === 0) return;
  if (c.present === 0 && isRequired(f)) {
    findings.add('FEATURE_TYPE_NOT_PRESENT', 'error', c.name, `not present in any of the ${rows} rows; the schema requires it`, { measured: 0, threshold: f.presence?.minCount ?? f.presence?.minFraction });
    return;
  }
  const fraction = c.present / rows;
  const minFraction = f.presence?.minFraction;
  if (minFraction !== undefined && fraction < minFraction) {
    findings.add('FEATURE_TYPE_LOW_FRACTION_PRESENT', 'error', c.name, minFraction === 1 ? `expected in every row, missing in ${c.missing} of ${rows}` : `present in ${percent(fraction)} of rows; the schema wants at least ${percent(minFraction)}`, { measured: fraction, threshold: minFraction });
  }
  const minCount = f.presence?.minCount;
  if (minCount !== undefined && c.present < minCount) {
    findings.add('FEATURE_TYPE_LOW_NUMBER_PRESENT', 'error', c.name, `present in ${c.present} rows; the schema wants at least ${minCount}`, { measured: c.present, threshold: minCount });
  }
}

/** `a` of the result is the schema (the expectation), `b` the data. */
export function diffAgainstSchema(profile: DatasetProfile, schema: TfdvSchema, thresholds: DriftThresholds): SchemaDiff {
  const findings = new FindingCollector();
  const columns: ColumnComparison[] = [];
  const sideA = schemaSide(schema);
  const sideB = dataSide(profile);
  if (sideA.usable && sideB.usable) {
    const dataNames = new Set(profile.columns.map((c) => c.name));
    // Struct members and deprecated features are not expected as flat columns.
    const checked = schema.features.filter((f) => !f.deprecated && (dataNames.has(f.name) || (f.tfdvType !== 'STRUCT' && !f.name.includes('.'))));
    for (const m of matchColumns(checked, profile.columns, schemaSimilarity, thresholds.renameMinScore)) {
      if (m.a && m.b) {
        const f = m.a;
        const c = m.b;
        if (m.rename) {
          findings.add('COLUMN_RENAMED', 'warning', c.name, `the schema calls this column ${JSON.stringify(f.name)} (evidence ${m.rename.score}: ${m.rename.reasons.join('; ')})`, { from: f.name, to: c.name, measured: m.rename.score, threshold: thresholds.renameMinScore });
        }
        if (!typeAccepts(f, c.type)) {
          findings.add('UNEXPECTED_DATA_TYPE', 'error', c.name, `the schema says ${f.tfdvType}${f.domain?.kind === 'bool' ? ' (bool_domain)' : ''}, the data is ${c.type}`, { from: f.tfdvType, to: c.type });
        }
        checkPresence(f, c, profile.rowCount, findings);
        checkDomain(f, c, findings);
        const about = findings.about(c.name);
        columns.push({
          status: m.rename ? 'renamed' : about.length > 0 ? 'changed' : 'unchanged',
          name: c.name,
          a: schemaColumnSide(f),
          b: dataColumnSide(c),
          ...(m.rename && { rename: m.rename }),
          ...(about.length > 0 && { worst: worstOf(about) }),
        });
      } else if (m.a) {
        const required = isRequired(m.a);
        findings.add('SCHEMA_MISSING_COLUMN', required ? 'error' : 'info', m.a.name, `the schema's ${required ? 'required' : 'optional'} feature (${m.a.tfdvType}) is not in the data`, { from: m.a.tfdvType });
        columns.push({ status: 'removed', name: m.a.name, a: schemaColumnSide(m.a), worst: required ? 'error' : 'info' });
      } else if (m.b) {
        findings.add('SCHEMA_NEW_COLUMN', 'warning', m.b.name, `column (${m.b.type}) not in the schema`, { to: m.b.type });
        columns.push({ status: 'added', name: m.b.name, b: dataColumnSide(m.b), worst: 'warning' });
      }
    }
  }
  return {
    version: 1,
    mode: 'data-schema',
    a: sideA,
    b: sideB,
    columns: columns.sort(compareColumns),
    findings: findings.sorted(),
    counts: findings.counts(),
    thresholds,
  };
}
