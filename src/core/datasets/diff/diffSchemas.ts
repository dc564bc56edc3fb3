/**
 * Compares two TFDV schemas feature by feature: added, removed and renamed features; type changes;
 * domain changes (kind, string values, int/float ranges); presence and value-count changes;
 * deprecation. Severities follow the data diff: removed features and type changes are errors;
 * anything that lets B accept data A did not (new values, wider ranges, optional presence, a new
 * domain kind, a new feature) is a warning; stricter or cosmetic changes are info.
 */
import type { ColumnComparison, DomainSummary, DriftThresholds, SchemaDiff } from '../../../shared/schemaDiff';
import type { TfdvFeature, TfdvSchema } from '../tfdvSchema';
import { matchColumns, type StatSimilarity } from './columnMatching';
import { FindingCollector, compareColumns, listValues, num, quoteValues, worstOf } from './findings';
import { schemaColumnSide, schemaSide } from './sides';

function domainLabel(d: DomainSummary | undefined): string {
  if (!d) return 'no domain';
  return d.kind === 'other' ? d.name : `${d.kind}_domain`;
}

function sameDomain(a: DomainSummary | undefined, b: DomainSummary | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function featureSimilarity(a: TfdvFeature, b: TfdvFeature): StatSimilarity {
  const reasons: string[] = [];
  const type = a.tfdvType === b.tfdvType ? 1 : 0;
  reasons.push(type ? `same type ${a.tfdvType}` : `types ${a.tfdvType} and ${b.tfdvType}`);
  const domain = sameDomain(a.domain, b.domain) ? 1 : domainLabel(a.domain) === domainLabel(b.domain) ? 0.5 : 0;
  if (domain === 1) reasons.push('same domain');
  const presence = JSON.stringify(a.presence ?? null) === JSON.stringify(b.presence ?? null) ? 1 : 0;
  // Declarations alike are weak evidence (many features are "FLOAT, required"): at most 0.6.
  return { score: 0.3 * type + 0.2 * domain + 0.1 * presence, reasons, identical: false };
}

function compareRanges(a: { min?: number; max?: number }, b: { min?: number; max?: number }, isInt: boolean, name: string, findings: FindingCollector): void {
  const lower = (b.min === undefined && a.min !== undefined) || (b.min !== undefined && a.min !== undefined && b.min < a.min);
  const higher = (b.max === undefined && a.max !== undefined) || (b.max !== undefined && a.max !== undefined && b.max > a.max);
  const show = (x?: number) => (x === undefined ? 'none' : num(x));
  if (lower) findings.add(isInt ? 'INT_TYPE_SMALL_INT' : 'FLOAT_TYPE_SMALL_FLOAT', 'warning', name, `B allows smaller values: min ${show(a.min)} → ${show(b.min)}`, { from: show(a.min), to: show(b.min) });
  if (higher) findings.add(isInt ? 'INT_TYPE_BIG_INT' : 'FLOAT_TYPE_BIG_FLOAT', 'warning', name, `B allows larger values: max ${show(a.max)} → ${show(b.max)}`, { from: show(a.max), to: show(b.max) });
  const narrower = (b.min !== undefined && (a.min === undefined || b.min > a.min)) || (b.max !== undefined && (a.max === undefined || b.max < a.max));
  if (narrower) findings.add('RANGE_NARROWED', 'info', name, `range narrowed: [${show(a.min)}, ${show(a.max)}] → [${show(b.min)}, ${show(b.max)}]`, { from: `[${show(a.min)}, ${show(a.max)}]`, to: `[${show(b.min)}, ${show(b.max)}]` });
}

function compareDomains(a: TfdvFeature, b: TfdvFeature, findings: FindingCollector): void {
  const name = b.name;
  const da = a.domain;
  const db = b.domain;
  if (sameDomain(da, db)) return;
  if (domainLabel(da) !== domainLabel(db)) {
    findings.add('DOMAIN_KIND_CHANGED', 'warning', name, `domain changed: ${domainLabel(da)} → ${domainLabel(db)}`, { from: domainLabel(da), to: domainLabel(db) });
    return;
  }
  if (da?.kind === 'string' && db?.kind === 'string') {
    const inA = new Set(da.values);
    const inB = new Set(db.values);
    const added = db.values.filter((v) => !inA.has(v));
    const removed = da.values.filter((v) => !inB.has(v));
    if (added.length > 0) {
      const l = listValues(added);
      findings.add('ENUM_TYPE_UNEXPECTED_STRING_VALUES', 'warning', name, `B's domain accepts ${added.length} more value${added.length === 1 ? '' : 's'}: ${quoteValues(l.values!, l.moreValues)}`, l);
    }
    if (removed.length > 0) {
      const l = listValues(removed);
      findings.add('DOMAIN_VALUES_VANISHED', 'info', name, `B's domain drops ${removed.length} value${removed.length === 1 ? '' : 's'}: ${quoteValues(l.values!, l.moreValues)}`, l);
    }
  } else if ((da?.kind === 'int' && db?.kind === 'int') || (da?.kind === 'float' && db?.kind === 'float')) {
    compareRanges(da, db, da.kind === 'int', name, findings);
  } else {
    findings.add('DOMAIN_KIND_CHANGED', 'info', name, `${domainLabel(db)} settings changed`, { from: JSON.stringify(da), to: JSON.stringify(db) });
  }
}

function comparePresence(a: TfdvFeature, b: TfdvFeature, findings: FindingCollector): void {
  const name = b.name;
  const fa = a.presence?.minFraction ?? 0;
  const fb = b.presence?.minFraction ?? 0;
  if (fb < fa) findings.add('FEATURE_TYPE_LOW_FRACTION_PRESENT', 'warning', name, `B allows missing values: min_fraction ${num(fa)} → ${num(fb)}`, { from: num(fa), to: num(fb) });
  else if (fb > fa) findings.add('PRESENCE_TIGHTENED', 'info', name, `presence required more often: min_fraction ${num(fa)} → ${num(fb)}`, { from: num(fa), to: num(fb) });
  const ca = a.presence?.minCount ?? 0;
  const cb = b.presence?.minCount ?? 0;
  if (cb < ca) findings.add('FEATURE_TYPE_LOW_NUMBER_PRESENT', 'warning', name, `B may have the feature in fewer examples: min_count ${ca} → ${cb}`, { from: num(ca), to: num(cb) });
  else if (cb > ca) findings.add('PRESENCE_TIGHTENED', 'info', name, `min_count ${ca} → ${cb}`, { from: num(ca), to: num(cb) });
}

function comparePair(a: TfdvFeature, b: TfdvFeature, findings: FindingCollector): void {
  const name = b.name;
  if (a.tfdvType !== b.tfdvType) findings.add('UNEXPECTED_DATA_TYPE', 'error', name, `type changed: ${a.tfdvType} → ${b.tfdvType}`, { from: a.tfdvType, to: b.tfdvType });
  compareDomains(a, b, findings);
  comparePresence(a, b, findings);
  const vc = (f: TfdvFeature) => JSON.stringify({ valueCount: f.valueCount ?? null, shape: f.shape ?? null });
  if (vc(a) !== vc(b)) findings.add('VALUE_COUNT_CHANGED', 'info', name, `value count or shape changed: ${vc(a)} → ${vc(b)}`, { from: vc(a), to: vc(b) });
  if (Boolean(a.deprecated) !== Boolean(b.deprecated)) findings.add('LIFECYCLE_CHANGED', 'info', name, b.deprecated ? 'deprecated in B' : 'no longer deprecated in B');
}

export function diffSchemas(a: TfdvSchema, b: TfdvSchema, thresholds: DriftThresholds): SchemaDiff {
  const findings = new FindingCollector();
  const columns: ColumnComparison[] = [];
  const sideA = schemaSide(a);
  const sideB = schemaSide(b);
  if (sideA.usable && sideB.usable) {
    for (const m of matchColumns(a.features, b.features, featureSimilarity, thresholds.renameMinScore)) {
      if (m.a && m.b) {
        if (m.rename) findings.add('COLUMN_RENAMED', 'warning', m.b.name, `probably renamed from ${JSON.stringify(m.a.name)} (evidence ${m.rename.score}: ${m.rename.reasons.join('; ')})`, { from: m.a.name, to: m.b.name, measured: m.rename.score, threshold: thresholds.renameMinScore });
        comparePair(m.a, m.b, findings);
        const about = findings.about(m.b.name);
        columns.push({
          status: m.rename ? 'renamed' : about.length > 0 ? 'changed' : 'unchanged',
          name: m.b.name,
          a: schemaColumnSide(m.a),
          b: schemaColumnSide(m.b),
          ...(m.rename && { rename: m.rename }),
          ...(about.length > 0 && { worst: worstOf(about) }),
        });
      } else if (m.a) {
        const severity = m.a.deprecated ? 'info' : 'error';
        findings.add('SCHEMA_MISSING_COLUMN', severity, m.a.name, `feature (${m.a.tfdvType}) removed in B${m.a.deprecated ? ' (it was deprecated)' : ''}`, { from: m.a.tfdvType });
        columns.push({ status: 'removed', name: m.a.name, a: schemaColumnSide(m.a), worst: severity });
      } else if (m.b) {
        findings.add('SCHEMA_NEW_COLUMN', 'warning', m.b.name, `new feature (${m.b.tfdvType}) in B`, { to: m.b.tfdvType });
        columns.push({ status: 'added', name: m.b.name, b: schemaColumnSide(m.b), worst: 'warning' });
      }
    }
  }
  return {
    version: 1,
    mode: 'schema-schema',
    a: sideA,
    b: sideB,
    columns: columns.sort(compareColumns),
    findings: findings.sorted(),
    counts: findings.counts(),
    thresholds,
  };
}
