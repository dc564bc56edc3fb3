// Runs the TypeScript store worker from source in unit tests (the extension ships it bundled).
require('tsx/cjs');
require('../../../src/core/store/storeWorker.ts');
