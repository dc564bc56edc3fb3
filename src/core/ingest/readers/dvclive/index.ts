/** The readers of dvclive output folders (0.x, 1.x, 2.x). */
import type { SourceReader } from '../../sourceReader';
import { dvcliveParamsReader } from './paramsReader';
import { dvcliveSeriesReader } from './seriesReader';
import { dvcliveSummaryReader } from './summaryReader';

export const dvcliveReaders: readonly SourceReader[] = [dvcliveSeriesReader, dvcliveSummaryReader, dvcliveParamsReader];
