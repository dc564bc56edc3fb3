import * as assert from 'node:assert/strict';
import { TerminalLineAssembler, visibleText } from '../../../src/core/capture/terminalLines';

function assemble(chunks: string[], max?: number): string[] {
  const a = new TerminalLineAssembler(max);
  return [...chunks.flatMap((c) => a.push(c)), ...a.end()];
}

describe('capture/terminalLines', () => {
  it('splits on \\n, keeps partial lines across chunks, and ends with the unfinished line', () => {
    assert.deepEqual(assemble(['a', 'b\nc', 'd\n\ne']), ['ab', 'cd', '', 'e']);
  });

  it('keeps only the final state of a line redrawn with \\r', () => {
    assert.deepEqual(assemble([' 10%|#  |\r 50%|## |\r100%|###|\nnext\n']), ['100%|###|', 'next']);
  });

  it('treats \\r\\n as a line end, also when cut between \\r and \\n', () => {
    assert.deepEqual(assemble(['a\r\nb\r', '\nc\r\r\n']), ['a', 'b', 'c']);
  });

  it('skips a line longer than the limit but not the lines around it', () => {
    assert.deepEqual(assemble(['ok\n', 'x'.repeat(6), 'x'.repeat(6), '\nfine\n'], 10), ['ok', 'fine']);
  });

  it('keeps the final state when an over-long segment was redrawn by \\r', () => {
    assert.deepEqual(assemble(['x'.repeat(20), '\rshort\n'], 10), ['short']);
    assert.deepEqual(assemble(['x'.repeat(20), '\r\n'], 10), []);
  });

  it('stays bounded by the limit for progress bars that never print \\n', () => {
    const a = new TerminalLineAssembler(100);
    for (let i = 0; i < 10000; i++) a.push(`\r${i}/10000 [====] loss=0.5`);
    assert.deepEqual(a.end(), ['9999/10000 [====] loss=0.5']);
  });

  it('removes colour escapes, OSC marks and backspaces', () => {
    assert.equal(visibleText('\x1b[1m938/938\x1b[0m \x1b[32m━━\x1b[0m loss: 0.1'), '938/938 ━━ loss: 0.1');
    assert.equal(visibleText('\x1b]633;C\x07loss=1'), 'loss=1');
    assert.equal(visibleText('ab\b\bcd'), 'cd');
    assert.equal(visibleText('\b\b\bx\x07'), 'x');
    assert.equal(visibleText('a\x1b(Bb\x1b[2Kc\x1b[Ad'), 'abcd');
  });
});
