import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { firstShellLine, splitShellCommandLine } from '../../../src/core/capture/shellCommandLine';

const words = (line: string) => splitShellCommandLine(line)?.map((c) => c.words);

describe('capture/splitShellCommandLine', () => {
  it('splits words at blanks and removes quotes and escapes as a POSIX shell does', () => {
    assert.deepEqual(words('python3 train.py --lr 0.1'), [['python3', 'train.py', '--lr', '0.1']]);
    assert.deepEqual(words(`python "my train.py" --name 'a b' --tag it\\'s --x=""`), [['python', 'my train.py', '--name', 'a b', '--tag', "it's", '--x=']]);
    assert.deepEqual(words(`echo "a \\"q\\" \\$HOME \\n" 'no \\escape'`), [['echo', 'a "q" $HOME \\n', 'no \\escape']]);
    assert.deepEqual(words(`echo pre"mid"'end' a\\ b`), [['echo', 'premidend', 'a b']]);
    assert.deepEqual(words(`printf $'a\\tb\\n' $'it\\'s'`), [['printf', 'a\tb\n', "it's"]]);
    assert.deepEqual(words('  \t python  train.py   '), [['python', 'train.py']]);
  });

  it('keeps assignments as words and leaves variables, $(…) and backticks as written', () => {
    assert.deepEqual(words('VAR=x CUDA_VISIBLE_DEVICES=0,1 python train.py'), [['VAR=x', 'CUDA_VISIBLE_DEVICES=0,1', 'python', 'train.py']]);
    assert.deepEqual(words('python t.py --tag $(git rev-parse --short HEAD) --n `date +%s` --h ${HOME}'), [
      ['python', 't.py', '--tag', '$(git rev-parse --short HEAD)', '--n', '`date +%s`', '--h', '${HOME}'],
    ]);
    assert.deepEqual(words('echo "$(echo "a b")" $((1 + 2))'), [['echo', '$(echo "a b")', '$((1 + 2))']]);
  });

  it('separates commands at ; && || | |& & newlines and parentheses', () => {
    assert.deepEqual(words('cd src && python train.py; echo done || true | cat & sleep 1\nls (pwd) |& tee x'), [
      ['cd', 'src'], ['python', 'train.py'], ['echo', 'done'], ['true'], ['cat'], ['sleep', '1'], ['ls'], ['pwd'], ['tee', 'x'],
    ]);
    assert.deepEqual(words('a;;b'), [['a'], ['b']]);
    assert.deepEqual(words(';'), []);
    assert.deepEqual(words(''), []);
  });

  it('drops redirections with their targets', () => {
    assert.deepEqual(words('python train.py --lr 0.1 > out.log 2>&1'), [['python', 'train.py', '--lr', '0.1']]);
    assert.deepEqual(words('python t.py >>a.log 2> err.log &> all.log &>>x <in.txt <<< "here" 3<>f >| g'), [['python', 't.py']]);
    assert.deepEqual(words('python t.py --x 1>out'), [['python', 't.py', '--x']]);
    assert.deepEqual(words('python t.py --n 12 >out'), [['python', 't.py', '--n', '12']]);
    assert.deepEqual(words('python t.py a>b'), [['python', 't.py', 'a']]);
    assert.deepEqual(words('python t.py ">" x'), [['python', 't.py', '>', 'x']]);
  });

  it('ends at a comment and joins continued lines', () => {
    assert.deepEqual(words('python train.py # --lr 1'), [['python', 'train.py']]);
    assert.deepEqual(words('python train.py --tag a#b'), [['python', 'train.py', '--tag', 'a#b']]);
    assert.deepEqual(words('python train.py \\\n  --lr 0.1'), [['python', 'train.py', '--lr', '0.1']]);
  });

  it('says when the line is unfinished', () => {
    for (const line of [`python "train.py`, `python 'a`, 'echo $(date', 'echo `date', `echo $'x`]) {
      assert.equal(splitShellCommandLine(line), undefined, line);
    }
  });

  it('agrees with bash on the words of quoted arguments', function () {
    this.timeout(60_000);
    // Words made of letters, blanks and quote characters, quoted the way bash's printf %q quotes them.
    const word = fc.string({ unit: fc.constantFrom('a', 'b', ' ', "'", '"', '\\', '=', '-', '.', '$', '#'), maxLength: 8 });
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 4 }), (list) => {
        const quoted = execFileSync('bash', ['-c', 'printf "%q " "$@"', 'bash', ...list], { encoding: 'utf8' }).slice(0, -1); // the space after the last word
        assert.deepEqual(words(`python t.py ${quoted}`), [['python', 't.py', ...list]], quoted);
      }),
      { numRuns: 60 },
    );
  });

  it('never throws', () => {
    fc.assert(fc.property(fc.string({ maxLength: 60 }), (line) => {
      const result = splitShellCommandLine(line);
      assert.ok(result === undefined || Array.isArray(result));
    }), { numRuns: 2000 });
  });
});

describe('capture/firstShellLine', () => {
  it('takes the first of several lines typed ahead', () => {
    const typed = ['python3 train.py --lr 0.01', 'python3 train.py --lr 0.02', 'python3 train.py --lr 0.03'].join('\n');
    assert.equal(firstShellLine(typed), 'python3 train.py --lr 0.01');
    assert.equal(firstShellLine('python3 train.py --lr 0.01\r\nls'), 'python3 train.py --lr 0.01');
  });

  it('keeps a line continued after a backslash or inside quotes whole', () => {
    assert.equal(firstShellLine('python3 train.py \\\n  --lr 0.1\nls'), 'python3 train.py \\\n  --lr 0.1');
    assert.equal(firstShellLine(`python3 -c 'print(1)\nprint(2)'\nls`), `python3 -c 'print(1)\nprint(2)'`);
    assert.equal(firstShellLine(`python3 -c "unclosed\nstill`), `python3 -c "unclosed\nstill`);
  });

  it('gives a single line back unchanged', () => {
    assert.equal(firstShellLine('python3 train.py --lr 0.1'), 'python3 train.py --lr 0.1');
    assert.equal(firstShellLine(''), '');
  });
});
