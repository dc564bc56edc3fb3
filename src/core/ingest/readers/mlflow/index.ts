/** The readers of an MLflow file store (`mlruns/`). */
import type { SourceReader } from '../../sourceReader';
import { mlflowModelMetricReader } from './modelMetricReader';
import { mlflowRegistryReader } from './registryReader';
import { mlflowParamTagReader } from './runKeyValueReader';
import { mlflowMetricReader } from './runMetricReader';
import { mlflowRunMetaReader } from './runMetaReader';

export const mlflowReaders: readonly SourceReader[] = [
  mlflowRunMetaReader, mlflowMetricReader, mlflowParamTagReader, mlflowModelMetricReader, mlflowRegistryReader,
];
