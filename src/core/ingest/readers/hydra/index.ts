/** The readers of Hydra multirun folders: each job's overrides, and tables the job wrote. */
import type { SourceReader } from '../../sourceReader';
import { hydraJobCsvReader } from './jobCsvReader';
import { hydraOverridesReader } from './overridesReader';

export const hydraReaders: readonly SourceReader[] = [hydraOverridesReader, hydraJobCsvReader];
