import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { TerminalOutputCleaner } from '../../../src/core/capture/terminalOutput';

function clean(chunks: string[]): string {
  const cleaner = new TerminalOutputCleaner();
  return chunks.map((c) => cleaner.push(c)).join('') + cleaner.end();
}

/** What shell integration delivered for `python3 train.py` in a bash terminal of the workbench. */
const SAMPLE = '\x1b]633;C\x07training for 3 epochs, lr=0.1\r\nepoch 1 loss=0.5 acc=0.5\r\n\x1b[32mdone\x1b[0m\r\n\x1b]633;D;0\x07';

describe('capture/TerminalOutputCleaner', () => {
  it('removes shell-integration marks and colours and turns \\r\\n into \\n', () => {
    assert.equal(clean([SAMPLE]), 'training for 3 epochs, lr=0.1\nepoch 1 loss=0.5 acc=0.5\ndone\n');
  });

  it('keeps a lone \\r of a progress bar, and a last \\r', () => {
    assert.equal(clean(['10%\r50%\r100%\r\n', 'x\r']), '10%\r50%\r100%\nx\r');
  });

  it('removes OSC sequences ended by ESC \\, titles, charset selections and stray escapes', () => {
    assert.equal(clean(['a\x1b]0;title\x1b\\b\x1b(Bc\x1b=d\x1bZ']), 'abcd');
    assert.equal(clean(['a\x1b']), 'a', 'an escape cut off at the end is dropped');
  });

  it('gives the same text wherever the chunks are cut', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: SAMPLE.length }), { maxLength: 6 }), (cuts) => {
      const points = [...new Set(cuts)].sort((a, b) => a - b);
      const chunks: string[] = [];
      let from = 0;
      for (const p of points) {
        chunks.push(SAMPLE.slice(from, p));
        from = p;
      }
      chunks.push(SAMPLE.slice(from));
      assert.equal(clean(chunks), clean([SAMPLE]));
    }), { numRuns: 500 });
  });

  it('does not hold an unterminated OSC sequence forever', () => {
    const cleaner = new TerminalOutputCleaner();
    assert.equal(cleaner.push('\x1b]633;E;' + 'x'.repeat(5000)), ']633;E;' + 'x'.repeat(5000));
  });
});
