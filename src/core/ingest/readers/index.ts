/** Every reader, in the order they are asked whether they own a file: the first match wins. */
import type { SourceReader } from '../sourceReader';
import { dvcliveReaders } from './dvclive';
import { eventsJsonlReader } from './eventsJsonlReader';
import { hydraReaders } from './hydra';
import { kerasCsvLoggerReader } from './keras/csvLoggerReader';
import { kerasTunerReaders } from './kerasTuner';
import { lightningReaders } from './lightning';
import { mlflowReaders } from './mlflow';
import { ipynbReader } from './notebook/ipynbReader';
import { optunaReaders, type OptunaSqliteOptions } from './optuna';
import { registryJsonlReader } from './registryJsonlReader';
import { tfeventsReader } from './tensorboard/tfeventsReader';
import { tfmaReaders } from './tfma/tfmaReaders';

/** `sql` (sql.js, loaded by the store) lets Optuna's SQLite storages be read; without it they are only recognised. */
export function defaultReaders(opts: OptunaSqliteOptions = {}): SourceReader[] {
  return [
    eventsJsonlReader, registryJsonlReader,
    // Importers of other tools' logs, most specific paths first; Keras's log names are the loosest.
    ...mlflowReaders, ...optunaReaders(opts), ...kerasTunerReaders, ...hydraReaders,
    tfeventsReader, ...tfmaReaders, ...lightningReaders, ...dvcliveReaders, ipynbReader, kerasCsvLoggerReader,
  ];
}
