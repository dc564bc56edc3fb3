import * as assert from 'node:assert/strict';
import { prependPythonPath, pythonPathHas, terminalPythonPathChange } from '../../../src/core/pythonClient/pythonPath';

const CLIENT = '/ext/exptrack-0.1.0/python';

describe('pythonClient/PYTHONPATH composition', () => {
  it('is the client folder alone when nothing was set (no empty entry, which would add the working directory)', () => {
    assert.equal(prependPythonPath(undefined, CLIENT, ':'), CLIENT);
    assert.equal(prependPythonPath('', CLIENT, ':'), CLIENT);
  });

  it('puts the client first and keeps the user\'s entries as they are, empty ones too', () => {
    assert.equal(prependPythonPath('/src:/libs', CLIENT, ':'), `${CLIENT}:/src:/libs`);
    assert.equal(prependPythonPath('/src::rel', CLIENT, ':'), `${CLIENT}:/src::rel`);
  });

  it('does not add the client twice, however it is spelled', () => {
    assert.equal(prependPythonPath(`/src:${CLIENT}`, CLIENT, ':'), `/src:${CLIENT}`);
    assert.equal(prependPythonPath(`${CLIENT}/:/src`, CLIENT, ':'), `${CLIENT}/:/src`);
    assert.equal(prependPythonPath('/ext/exptrack-0.1.0/lib/../python', CLIENT, ':'), '/ext/exptrack-0.1.0/lib/../python');
    assert.equal(pythonPathHas('/ext/exptrack-0.1.0/python-old', CLIENT, ':'), false);
  });

  it('uses the platform\'s delimiter', () => {
    assert.equal(prependPythonPath('C:\\src', 'D:\\ext\\python', ';'), 'D:\\ext\\python;C:\\src');
  });

  it('changes a terminal\'s PYTHONPATH by prepending with a delimiter, replacing, or not at all', () => {
    assert.deepEqual(terminalPythonPathChange('/src', CLIENT, ':'), { kind: 'prepend', value: `${CLIENT}:` });
    assert.deepEqual(terminalPythonPathChange('${env:PYTHONPATH}:/src', CLIENT, ':'), { kind: 'prepend', value: `${CLIENT}:` });
    assert.deepEqual(terminalPythonPathChange(undefined, CLIENT, ':'), { kind: 'replace', value: CLIENT });
    assert.deepEqual(terminalPythonPathChange('', CLIENT, ':'), { kind: 'replace', value: CLIENT });
    assert.deepEqual(terminalPythonPathChange(`${CLIENT}:/src`, CLIENT, ':'), { kind: 'none' });
  });
});
