/** Every reader, in the order they are asked whether they own a file: the first match wins. */
import type { SourceReader } from '../sourceReader';
import { dvcliveReaders } from './dvclive';
import { eventsJsonlReader } from './eventsJsonlReader';
import { kerasCsvLoggerReader } from './keras/csvLoggerReader';
import { lightningReaders } from './lightning';
import { mlflowReaders } from './mlflow';
import { ipynbReader } from './notebook/ipynbReader';
import { registryJsonlReader } from './registryJsonlReader';
import { tfeventsReader } from './tensorboard/tfeventsReader';
import { tfmaReaders } from './tfma/tfmaReaders';

export function defaultReaders(): SourceReader[] {
  return [
    eventsJsonlReader, registryJsonlReader,
    // Importers of other tools' logs, most specific paths first; Keras's log names are the loosest.
    ...mlflowReaders, tfeventsReader, ...tfmaReaders, ...lightningReaders, ...dvcliveReaders, ipynbReader, kerasCsvLoggerReader,
  ];
}
