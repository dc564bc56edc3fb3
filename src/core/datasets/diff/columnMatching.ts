/**
 * Pairs the columns of two sides: first by exact name, then removed-and-added pairs that look like
 * one column renamed. A rename is claimed when the evidence score reaches the threshold; the
 * evidence (name similarity, statistics) is kept so the user can judge it.
 */
import type { RenameEvidence } from '../../../shared/schemaDiff';

export interface StatSimilarity {
  /** 0..1 */
  score: number;
  reasons: string[];
  /** The two columns hold exactly the same values: strong evidence on its own. */
  identical?: boolean;
}

export interface ColumnMatch<A, B> {
  a?: A;
  b?: B;
  rename?: RenameEvidence;
}

/** Lower case, letters and digits only: "Body Mass (g)" and "body_mass_g" both give "bodymassg". */
export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** 1 - edit distance / longer length, on normalised names. */
export function nameSimilarity(a: string, b: string): number {
  const x = normaliseName(a);
  const y = normaliseName(b);
  const longest = Math.max(x.length, y.length);
  return longest === 0 ? 1 : 1 - levenshtein(x, y) / longest;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Below this name similarity, statistics alone never make a rename (score capped under 0.75). */
const MIN_NAME_SIMILARITY = 0.5;
const UNRELATED_NAMES_CAP = 0.7;

/**
 * Evidence that `a` was renamed to `b`. Names equal after normalisation weigh most (0.5 + half the
 * statistics); otherwise names count 30 % and statistics 70 %, and names less than half alike cap
 * the score at 0.7, so look-alike statistics (two 0/1 flags) do not pair unrelated columns at the
 * default threshold of 0.75. Identical values lift the score to at least 0.9.
 */
export function renameEvidence(aName: string, bName: string, stats: StatSimilarity): RenameEvidence {
  const normalisedNameMatch = normaliseName(aName) === normaliseName(bName) && normaliseName(aName).length > 0;
  const nameSim = nameSimilarity(aName, bName);
  let score = normalisedNameMatch ? 0.5 + 0.5 * stats.score : 0.3 * nameSim + 0.7 * stats.score;
  if (!normalisedNameMatch && nameSim < MIN_NAME_SIMILARITY) score = Math.min(score, UNRELATED_NAMES_CAP);
  const reasons: string[] = [];
  if (normalisedNameMatch) reasons.push(`names match once case and punctuation are ignored ("${normaliseName(aName)}")`);
  else reasons.push(`name similarity ${round3(nameSim)}`);
  reasons.push(...stats.reasons);
  if (stats.identical) {
    score = Math.max(score, 0.9);
    reasons.push('identical values');
  }
  return { score: round3(score), nameSimilarity: round3(nameSim), normalisedNameMatch, statisticSimilarity: round3(stats.score), reasons };
}

/**
 * Matches columns by exact name, then greedily pairs the best-scoring removed/added columns whose
 * rename evidence reaches `minScore`. Deterministic: ties go to the alphabetically first names.
 */
export function matchColumns<A extends { name: string }, B extends { name: string }>(
  as: readonly A[],
  bs: readonly B[],
  similarity: (a: A, b: B) => StatSimilarity,
  minScore: number,
): ColumnMatch<A, B>[] {
  const out: ColumnMatch<A, B>[] = [];
  const bByName = new Map(bs.map((b) => [b.name, b]));
  const removed: A[] = [];
  const matchedB = new Set<string>();
  for (const a of as) {
    const b = bByName.get(a.name);
    if (b) {
      out.push({ a, b });
      matchedB.add(b.name);
    } else {
      removed.push(a);
    }
  }
  const added = bs.filter((b) => !matchedB.has(b.name));
  const candidates: { a: A; b: B; evidence: RenameEvidence }[] = [];
  for (const a of removed) {
    for (const b of added) {
      const evidence = renameEvidence(a.name, b.name, similarity(a, b));
      if (evidence.score >= minScore) candidates.push({ a, b, evidence });
    }
  }
  candidates.sort((x, y) => y.evidence.score - x.evidence.score || (x.a.name < y.a.name ? -1 : x.a.name > y.a.name ? 1 : 0) || (x.b.name < y.b.name ? -1 : x.b.name > y.b.name ? 1 : 0));
  const renamedA = new Set<A>();
  const renamedB = new Set<B>();
  for (const c of candidates) {
    if (renamedA.has(c.a) || renamedB.has(c.b)) continue;
    renamedA.add(c.a);
    renamedB.add(c.b);
    out.push({ a: c.a, b: c.b, rename: c.evidence });
  }
  for (const a of removed) if (!renamedA.has(a)) out.push({ a });
  for (const b of added) if (!renamedB.has(b)) out.push({ b });
  return out;
}
