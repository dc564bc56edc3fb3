import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseArgvParams, parseTrainingCommand } from '../../../src/core/capture/argvParams';
import { parseParamValue } from '../../../src/core/capture/paramValue';

const words = (s: string) => s.split(' ');

describe('capture/paramValue', () => {
  it('types numbers, booleans and JSON; keeps the rest as text', () => {
    const cases: Array<[string, unknown]> = [
      ['3', 3], ['-3', -3], ['+3', 3], ['0.01', 0.01], ['.5', 0.5], ['5.', 5], ['1e-3', 0.001], ['-2.5E+2', -250],
      ['0', 0], ['0.0', 0],
      ['true', true], ['False', false], ['TRUE', true],
      ['[64,32]', [64, 32]], ['[]', []], ['{"a":1}', { a: 1 }], [' [1, 2]', [1, 2]],
      ['adam', 'adam'], ['', ''], ['007', '007'], ['1e999', '1e999'], ['12345678901234567890', '12345678901234567890'],
      ['0x10', '0x10'], ['1.2.3', '1.2.3'], ['nan', 'nan'], ['inf', 'inf'], ['None', 'None'], ["['a','b']", "['a','b']"],
      ['[1,2', '[1,2'], ['yes', 'yes'], ['1_000', '1_000'], ['3s', '3s'],
    ];
    for (const [text, expected] of cases) assert.deepEqual(parseParamValue(text), expected, text);
  });
});

describe('capture/parseArgvParams', () => {
  it('reads --key value and --key=value, with dashes in names as underscores', () => {
    assert.deepEqual(parseArgvParams(words('--lr 0.01 --batch-size=64 --optimizer adam --name=run=1')), {
      lr: 0.01, batch_size: 64, optimizer: 'adam', name: 'run=1',
    });
  });

  it('makes flags true and keeps --no-x as its own key', () => {
    assert.deepEqual(parseArgvParams(words('--fp16 --no-cuda --epochs 3 --verbose')), {
      fp16: true, no_cuda: true, epochs: 3, verbose: true,
    });
  });

  it('takes negative numbers as values, not options', () => {
    assert.deepEqual(parseArgvParams(words('--offset -1 --scale -2.5e-3 --flag -x')), { offset: -1, scale: -0.0025, flag: true });
  });

  it('collects consecutive numbers into a list, and stops at text', () => {
    assert.deepEqual(parseArgvParams(words('--layers 64 32 16 --epochs 10 data.csv --files a.csv b.csv --gpus 0 1')), {
      layers: [64, 32, 16], epochs: 10, files: 'a.csv', gpus: [0, 1],
    });
  });

  it('parses JSON lists and booleans as values', () => {
    assert.deepEqual(parseArgvParams(['--layers', '[64,32]', '--shuffle', 'False', '--cfg={"a":[1]}']), {
      layers: [64, 32], shuffle: false, cfg: { a: [1] },
    });
  });

  it('lets the last of repeated keys win', () => {
    assert.deepEqual(parseArgvParams(words('--lr 0.1 --lr=0.2 --lr 0.3')), { lr: 0.3 });
  });

  it('ignores short options and plain positional arguments', () => {
    assert.deepEqual(parseArgvParams(words('data/ -v -n 5 --lr 0.1 out.pt')), { lr: 0.1 });
  });

  it('reads Hydra / Sacred overrides given as positional key=value words', () => {
    assert.deepEqual(parseArgvParams(words('with model.lr=0.1 +trainer.gpus=2 ++seed=7 model.layers=[64,32] db=mysql ~foo')), {
      'model.lr': 0.1, 'trainer.gpus': 2, seed: 7, 'model.layers': [64, 32], db: 'mysql',
    });
  });

  it('treats everything after a bare -- as positional', () => {
    assert.deepEqual(parseArgvParams(words('--lr 0.1 -- --epochs 3 a=1')), { lr: 0.1 });
  });

  it('keeps an empty value and odd option shapes without crashing', () => {
    assert.deepEqual(parseArgvParams(['--name', '', '--=x', '---x', '--a=', '-']), { name: '', a: '' });
  });

  it('stores a key called __proto__ as data', () => {
    const params = parseArgvParams(['--__proto__', '1']);
    assert.deepEqual(Object.keys(params), ['__proto__']);
    assert.equal(Object.getPrototypeOf(params), Object.prototype);
  });
});

describe('capture/parseTrainingCommand', () => {
  const cmd = (s: string) => parseTrainingCommand(words(s));

  it('recognises python script.py with its arguments and parameters', () => {
    assert.deepEqual(cmd('python train.py --lr 0.01 --layers [64,32] --optimizer adam data.csv'), {
      interpreter: 'python',
      script: 'train.py',
      scriptArgs: words('--lr 0.01 --layers [64,32] --optimizer adam data.csv'),
      params: { lr: 0.01, layers: [64, 32], optimizer: 'adam' },
    });
  });

  it('skips the interpreter\'s own options', () => {
    for (const line of [
      'python3 -u train.py --lr 1', 'python -u -O -B train.py --lr 1', 'python -uB train.py --lr 1',
      'python -W ignore train.py --lr 1', 'python -Wignore train.py --lr 1', 'python -X dev -X importtime train.py --lr 1',
      'python --check-hash-based-pycs never train.py --lr 1', 'python -- train.py --lr 1', 'python -I -s -E train.py --lr 1',
    ]) {
      const parsed = cmd(line);
      assert.equal(parsed?.script, 'train.py', line);
      assert.deepEqual(parsed?.params, { lr: 1 }, line);
    }
  });

  it('accepts interpreters by path and versioned names', () => {
    for (const interpreter of ['/usr/bin/python3.11', '.venv/bin/python', 'C:\\Python311\\python.exe', 'pythonw', 'py', 'pypy3', 'PYTHON.EXE']) {
      assert.equal(parseTrainingCommand([interpreter, 'train.py'])?.interpreter, interpreter, interpreter);
    }
    assert.equal(cmd('pythonista train.py'), undefined);
  });

  it('recognises -m module runs, attached or not', () => {
    assert.deepEqual(cmd('python -m mypkg.train --epochs 3'), {
      interpreter: 'python', module: 'mypkg.train', scriptArgs: ['--epochs', '3'], params: { epochs: 3 },
    });
    assert.equal(cmd('python -mmypkg.train --epochs 3')?.module, 'mypkg.train');
    assert.equal(cmd('python -u -m mypkg.train')?.module, 'mypkg.train');
    assert.equal(cmd('python -um mypkg.train')?.module, 'mypkg.train');
  });

  it('returns undefined for commands that are not training', () => {
    for (const line of [
      'python -c print(1)', 'python -uc print(1)', 'python', 'python -u', 'python -', 'python --version', 'python -V',
      'python -h', 'pip install torch', 'python -m pip install torch', 'python3 -m pytest -q', 'python -m venv .venv',
      'python -m http.server 8000', 'python -m', 'ls -la', 'git status', 'python setup.py install', 'python manage.py runserver',
      'accelerate config', 'torchrun', 'uv run', 'uv run pytest', 'poetry run pytest', 'npm test', 'train.txt', '',
    ]) {
      assert.equal(cmd(line), undefined, line);
    }
    assert.equal(parseTrainingCommand([]), undefined);
  });

  it('sees through environment assignments and wrappers', () => {
    for (const line of [
      'CUDA_VISIBLE_DEVICES=0,1 python train.py --lr 1', 'env CUDA_VISIBLE_DEVICES=0 python train.py --lr 1',
      'env -u FOO python train.py --lr 1', 'nohup python train.py --lr 1', 'time python train.py --lr 1',
    ]) {
      assert.deepEqual(cmd(line), { interpreter: 'python', script: 'train.py', scriptArgs: ['--lr', '1'], params: { lr: 1 } }, line);
    }
  });

  it('sees through environment runners: uv run, poetry run, conda run', () => {
    assert.deepEqual(cmd('uv run train.py --lr 1'), { interpreter: 'uv', script: 'train.py', scriptArgs: ['--lr', '1'], params: { lr: 1 } });
    for (const line of [
      'uv run python train.py --lr 1', 'uv run --no-sync python train.py --lr 1', 'uv run --with torch --python 3.11 python train.py --lr 1',
      'uv run --frozen -- python train.py --lr 1', 'poetry run python train.py --lr 1', 'pipenv run python train.py --lr 1',
      'conda run -n ml python train.py --lr 1', 'conda run --no-capture-output -n ml python train.py --lr 1',
    ]) {
      const parsed = cmd(line);
      assert.equal(parsed?.interpreter, 'python', line);
      assert.equal(parsed?.script, 'train.py', line);
      assert.deepEqual(parsed?.params, { lr: 1 }, line);
    }
    assert.equal(cmd('uv run -m mypkg.train --lr 1')?.module, 'mypkg.train');
    assert.equal(cmd('uv run --with torch train.py')?.script, 'train.py');
  });

  it('finds the script behind distributed launchers', () => {
    const expectations: Array<[string, string]> = [
      ['torchrun --nproc_per_node 2 train.py --lr 1', 'torchrun'],
      ['torchrun --nproc-per-node=2 --standalone train.py --lr 1', 'torchrun'],
      ['torchrun --standalone --nnodes 1 --nproc_per_node gpu train.py --lr 1', 'torchrun'],
      ['accelerate launch train.py --lr 1', 'accelerate'],
      ['accelerate launch --multi_gpu --num_processes 2 --mixed_precision fp16 train.py --lr 1', 'accelerate'],
      ['accelerate launch --config_file cfg.yaml train.py --lr 1', 'accelerate'],
      ['deepspeed --num_gpus 2 train.py --lr 1', 'deepspeed'],
      ['python -m torch.distributed.run --nproc_per_node 2 train.py --lr 1', 'python'],
      ['python -m torch.distributed.launch --use_env train.py --lr 1', 'python'],
      ['python -m pdb -c continue train.py --lr 1', 'python'],
      ['python -m cProfile -o out.prof train.py --lr 1', 'python'],
      ['python -m debugpy --listen 5678 --wait-for-client train.py --lr 1', 'python'],
      ['uv run torchrun --nproc_per_node 2 train.py --lr 1', 'torchrun'],
      ['uv run accelerate launch train.py --lr 1', 'accelerate'],
    ];
    for (const [line, interpreter] of expectations) {
      assert.deepEqual(cmd(line), { interpreter, script: 'train.py', scriptArgs: ['--lr', '1'], params: { lr: 1 } }, line);
    }
    assert.equal(cmd('torchrun --standalone -m mypkg.train --lr 1')?.module, 'mypkg.train');
    assert.equal(cmd('torchrun -m --standalone mypkg.train')?.module, 'mypkg.train');
    assert.equal(cmd('accelerate launch -m mypkg.train')?.module, 'mypkg.train');
    assert.equal(cmd('python -m torch.distributed.run --nproc_per_node=2 -m mypkg.train')?.module, 'mypkg.train');
  });

  it('recognises a script executed directly', () => {
    assert.deepEqual(cmd('./train.py --lr 1'), { interpreter: './train.py', script: './train.py', scriptArgs: ['--lr', '1'], params: { lr: 1 } });
  });

  it('keeps a script path with spaces as one argument', () => {
    assert.equal(parseTrainingCommand(['python', '/home/a b/train.py', '--lr', '1'])?.script, '/home/a b/train.py');
  });

  it('never throws, whatever the words', () => {
    const token = fc.oneof(
      fc.string(),
      fc.constantFrom('python', 'python3', '-m', '-c', '-u', '-W', '-X', '--', '-', 'uv', 'run', 'torchrun', 'accelerate',
        'launch', 'env', '-u', 'nohup', 'train.py', '--lr', '0.1', '--no-x', 'a=1', '[1,2]', '--x=', '__proto__',
        'conda', '-n', 'torch.distributed.run', '--module', 'poetry'),
    );
    fc.assert(fc.property(fc.array(token, { maxLength: 30 }), (argv) => {
      const parsed = parseTrainingCommand(argv);
      if (parsed) {
        assert.ok(parsed.script !== undefined || parsed.module !== undefined);
        assert.deepEqual(parsed.params, parseArgvParams(parsed.scriptArgs));
        assert.deepEqual(argv.slice(argv.length - parsed.scriptArgs.length), parsed.scriptArgs);
      }
      parseArgvParams(argv);
    }), { numRuns: 2000 });
  });

  it('handles a very long command line', () => {
    const argv = ['uv', 'run', ...Array.from({ length: 20000 }, () => ['uv', 'run']).flat(), 'python', 'train.py'];
    assert.equal(parseTrainingCommand(argv), undefined); // nested too deep to be a real command
    const long = ['python', 'train.py', ...Array.from({ length: 50000 }, (_, i) => `--k${i}=${i}`)];
    assert.equal(Object.keys(parseTrainingCommand(long)!.params).length, 50000);
  });
});
