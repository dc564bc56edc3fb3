/**
 * Loads the code that waits until ExpTrack is used (../deferred.ts): synchronously, once, on first
 * use — a view shown, a command, a run starting in a terminal, a notebook cell executed.
 */
type Deferred = typeof import('../deferred');

let loaded: Deferred | undefined;

export function loadDeferred(): Deferred {
  // Built apart (dist/deferred.js): the bundler leaves this require to run time.
  loaded ??= require('../deferred') as Deferred;
  return loaded;
}
