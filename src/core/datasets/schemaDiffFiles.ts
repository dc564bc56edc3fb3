/**
 * The schema diff of two files, each a data file or a TFDV schema: data vs data compares profiles,
 * data vs schema validates the data against the schema (in either order; the schema becomes side
 * A), schema vs schema compares declarations.
 */
import { DriftThresholdsSchema, type DatasetProfile, type DriftThresholdsInput, type SchemaDiff } from '../../shared/schemaDiff';
import { detectFormat } from './detectFormat';
import { diffAgainstSchema } from './diff/diffAgainstSchema';
import { diffProfiles } from './diff/diffProfiles';
import { diffSchemas } from './diff/diffSchemas';
import { profileFile, type ProfileOptions } from './profileFile';
import { readTfdvSchema, type TfdvSchema } from './tfdvSchema';

export type LoadedSide = { kind: 'data'; profile: DatasetProfile } | { kind: 'schema'; schema: TfdvSchema };

export interface SchemaDiffOptions {
  thresholds?: DriftThresholdsInput;
  /** Applied to both data files (delimiter, sketch sizes, abort signal…). */
  profile?: Omit<ProfileOptions, 'displayName'>;
  /** Names for the two files in messages (default: the paths). */
  displayNames?: [string, string];
}

export async function loadSide(filePath: string, options: ProfileOptions = {}): Promise<LoadedSide> {
  let format = options.format;
  if (format === undefined) format = await detectFormat(filePath).catch(() => undefined);
  if (format === 'tfdv-schema') return { kind: 'schema', schema: await readTfdvSchema(filePath, options.displayName) };
  return { kind: 'data', profile: await profileFile(filePath, { ...options, ...(format && { format }) }) };
}

export function diffSides(a: LoadedSide, b: LoadedSide, thresholds: DriftThresholdsInput = {}): SchemaDiff {
  const t = DriftThresholdsSchema.parse(thresholds);
  if (a.kind === 'data') return b.kind === 'data' ? diffProfiles(a.profile, b.profile, t) : diffAgainstSchema(a.profile, b.schema, t);
  return b.kind === 'schema' ? diffSchemas(a.schema, b.schema, t) : diffAgainstSchema(b.profile, a.schema, t);
}

export async function schemaDiffFiles(pathA: string, pathB: string, options: SchemaDiffOptions = {}): Promise<SchemaDiff> {
  const [nameA, nameB] = options.displayNames ?? [pathA, pathB];
  const [a, b] = await Promise.all([
    loadSide(pathA, { ...options.profile, displayName: nameA }),
    loadSide(pathB, { ...options.profile, displayName: nameB }),
  ]);
  return diffSides(a, b, options.thresholds);
}
