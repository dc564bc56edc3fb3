/** Every reader, in the order they are asked whether they own a file: the first match wins. */
import type { SourceReader } from '../sourceReader';
import { eventsJsonlReader } from './eventsJsonlReader';
import { registryJsonlReader } from './registryJsonlReader';

export function defaultReaders(): SourceReader[] {
  return [eventsJsonlReader, registryJsonlReader];
}
