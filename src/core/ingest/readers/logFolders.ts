/**
 * Folder names that loggers this index reads write to by default. People very often keep them out
 * of git (`.gitignore`) and out of search (`search.exclude`), yet they are exactly what ExpTrack is
 * there to read: the workspace's ignore rules never prune them (see sourceFilter.ts).
 */
export const LOG_FOLDER_NAMES: ReadonlySet<string> = new Set([
  'mlruns', // MLflow's file store (the default tracking URI `./mlruns`)
  'lightning_logs', // Lightning's default `save_dir` (CSVLogger, TensorBoardLogger)
  'tb_logs', // Lightning's TensorBoardLogger as its documentation names it
  'runs', // PyTorch's and tensorboardX's SummaryWriter: `runs/<date>_<host>`
  'logs', // Keras's TensorBoard callback (`log_dir='logs'`)
  'dvclive', // dvclive's default folder
  'outputs', // Hydra's run folders, which hold whatever the run's loggers wrote
  'multirun', // Hydra's sweep folders
]);
