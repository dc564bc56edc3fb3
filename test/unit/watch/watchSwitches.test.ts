import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { resolveLaunchVariables } from '../../../src/core/capture/launchVariables';
import { activeWatchers } from '../../../src/core/capture/watchedCommand';

describe('watch/activeWatchers', () => {
  it('turns every watcher on by default in a trusted workspace, and off one by one', () => {
    assert.deepEqual(activeWatchers({}, true), { terminal: true, debug: true, tasks: true });
    assert.deepEqual(activeWatchers({ terminal: false, debug: true, tasks: 'junk' }, true), { terminal: false, debug: true, tasks: true });
    assert.deepEqual(activeWatchers({ tasks: false }, true), { terminal: true, debug: true, tasks: false });
  });

  it('watches nothing in an untrusted workspace, whatever the settings say', () => {
    assert.deepEqual(activeWatchers({ terminal: true, debug: true, tasks: true }, false), { terminal: false, debug: false, tasks: false });
  });
});

describe('watch/resolveLaunchVariables', () => {
  const values = { workspaceFolder: '/ws', file: '/ws/src/train.py', env: { HOME: '/home/u' } };

  it('resolves the workspace, file and environment variables a task may use', () => {
    assert.equal(resolveLaunchVariables('python ${file} --out ${workspaceFolder}/out', values), 'python /ws/src/train.py --out /ws/out');
    assert.equal(resolveLaunchVariables('${fileBasename} ${fileBasenameNoExtension} ${fileDirname} ${relativeFile}', values),
      `train.py train /ws/src ${path.join('src', 'train.py')}`);
    assert.equal(resolveLaunchVariables('${workspaceFolderBasename} ${workspaceRoot} ${env:HOME} [${env:MISSING}]', values), 'ws /ws /home/u []');
    assert.equal(resolveLaunchVariables('python train.py', values), 'python train.py');
  });

  it('is undefined when a variable cannot be known', () => {
    assert.equal(resolveLaunchVariables('python ${input:script}', values), undefined);
    assert.equal(resolveLaunchVariables('python ${file}', { workspaceFolder: '/ws', env: {} }), undefined);
  });
});
