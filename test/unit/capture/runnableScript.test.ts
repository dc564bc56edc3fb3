import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { looksRunnable } from '../../../src/core/capture/runnableScript';

const repo = path.resolve(__dirname, '../../..');

describe('capture/looksRunnable', () => {
  it('takes a file with a main guard or an ML import for a script', () => {
    assert.ok(looksRunnable('def main():\n    pass\n\nif __name__ == "__main__":\n    main()\n'));
    assert.ok(looksRunnable('import torch\nmodel = torch.nn.Linear(2, 1)\n'));
    assert.ok(looksRunnable('from sklearn.linear_model import LogisticRegression\n'));
  });

  it('takes a file that parses its arguments or reads sys.argv at module level for a script', () => {
    assert.ok(looksRunnable('import argparse\nparser = argparse.ArgumentParser()\nargs = parser.parse_args()\n'));
    assert.ok(looksRunnable('import argparse\nargs, rest = argparse.ArgumentParser().parse_known_args()\n'));
    assert.ok(looksRunnable('import sys\nlr = float(sys.argv[1])\n'));
  });

  it('leaves modules meant for import without the lens', () => {
    assert.ok(!looksRunnable('import math\n\ndef sigmoid(z):\n    return 1 / (1 + math.exp(-z))\n'));
    // Inside a function, argument parsing runs only when called; in a comment it does not run at all.
    assert.ok(!looksRunnable('import argparse\n\ndef cli():\n    return argparse.ArgumentParser().parse_args()\n'));
    assert.ok(!looksRunnable('import sys\n# call with sys.argv[1:] from your script\n'));
    assert.ok(!looksRunnable('import mathx\nfrom torchvision_helpers import x\n'));
  });

  it('takes the demo and test training scripts for scripts', () => {
    for (const file of ['demo/train.py', 'demo/train_with_client.py', 'test/integration/workspace/train.py']) {
      assert.ok(looksRunnable(fs.readFileSync(path.join(repo, file), 'utf8')), file);
    }
  });
});
