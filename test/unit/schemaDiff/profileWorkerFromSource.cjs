// Runs the TypeScript profile worker from source in unit tests (the extension ships it bundled).
require('tsx/cjs');
require('../../../src/core/datasets/profileWorker.ts');
