/** The readers of Lightning's CSVLogger folders (`version_N/metrics.csv` + `hparams.yaml`). */
import type { SourceReader } from '../../sourceReader';
import { lightningHparamsReader } from './hparamsReader';
import { lightningMetricsReader } from './metricsCsvReader';

export const lightningReaders: readonly SourceReader[] = [lightningMetricsReader, lightningHparamsReader];
