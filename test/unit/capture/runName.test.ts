import * as assert from 'node:assert/strict';
import { parseTrainingCommand } from '../../../src/core/capture/argvParams';
import { defaultExperiment, defaultRunName } from '../../../src/core/capture/runName';

describe('capture/defaultRunName', () => {
  const name = (argv: string[]) => defaultRunName(parseTrainingCommand(argv));

  it('names a run after its script and its first three parameters', () => {
    assert.equal(name(['python3', 'src/train.py', '--lr', '0.05', '--epochs', '3', '--model', 'resnet', '--seed', '1']),
      'train lr=0.05 epochs=3 model=resnet');
  });

  it('names a module run after the module, and a plain script after the script', () => {
    assert.equal(name(['python', '-m', 'pkg.train']), 'pkg.train');
    assert.equal(name(['python3', 'train.py']), 'train');
  });

  it('shows list values as JSON and leaves commands that are not training unnamed', () => {
    assert.equal(name(['python3', 'fit.py', '--layers', '64', '32']), 'fit layers=[64,32]');
    assert.equal(name(['pip', 'install', 'x']), undefined);
  });
});

describe('capture/defaultExperiment', () => {
  const experiment = (argv: string[], cwd = '/work/proj') => defaultExperiment(parseTrainingCommand(argv), cwd);

  it('puts a script run in the experiment named after the script\'s folder', () => {
    assert.equal(experiment(['python3', 'churn/train.py', '--lr', '0.1']), 'churn');
    assert.equal(experiment(['python3', '/abs/vision/fit.py']), 'vision');
    assert.equal(experiment(['python3', 'train.py']), 'proj');
    assert.equal(experiment(['python3', '../other/train.py']), 'other');
  });

  it('puts a module run in the experiment named after the working folder, and leaves other commands alone', () => {
    assert.equal(experiment(['python', '-m', 'pkg.train'], '/repos/speech'), 'speech');
    assert.equal(experiment(['pip', 'install', 'x']), undefined);
  });
});
