/**
 * Everything ExpTrack loads only when it is used: the session (index, views, features) and the
 * writers of recorded runs. A bundle of its own (dist/deferred.js, see esbuild.config.mjs), so
 * activation does not even parse it; the code that activation loads reaches it through
 * startup/loadDeferred.ts.
 */
export { ExpTrackSession } from './session';
export { startExternalRun } from '../core/capture/externalRun';
export { compileStdoutPatterns } from '../core/capture/stdoutPatterns';
export { NotebookRecording } from '../core/notebooks/notebookRecording';
