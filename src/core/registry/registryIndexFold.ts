/**
 * Re-derives everything the registry decides — run annotations, model versions and aliases — from
 * the stored registry events and the indexed sources. Called by the store whenever the registry
 * file, a run's models or an external registry changed; always from scratch, so the result does
 * not depend on the order in which writers appended or sources were read.
 */
import type { Database } from 'sql.js';
import { foldModelRegistry } from './modelVersionsFold';
import { loadModelFoldInputs, writeModelTables } from './modelTables';
import { applyRunAnnotations, loadRunAnnotationEvents } from './runEditsFold';

export function refoldRegistry(db: Database): void {
  db.exec('SAVEPOINT registry_fold');
  try {
    applyRunAnnotations(db, loadRunAnnotationEvents(db));
    writeModelTables(db, foldModelRegistry(loadModelFoldInputs(db)));
    db.exec('RELEASE registry_fold');
  } catch (e) {
    db.exec('ROLLBACK TO registry_fold');
    db.exec('RELEASE registry_fold');
    throw e;
  }
}
