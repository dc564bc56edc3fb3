// The walkthrough as package.json contributes it: every picture it names is there, is a small PNG,
// and every button and completion event names a command that exists.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
const [walkthrough] = manifest.contributes.walkthroughs;
const contributed = new Set<string>(manifest.contributes.commands.map((c: { command: string }) => c.command));
const MAX_BYTES = 150 * 1024;

interface Step {
  id: string;
  title: string;
  description: string;
  media: { image?: string; altText?: string; markdown?: string };
  completionEvents?: string[];
}
const steps: Step[] = walkthrough.steps;

/** Width and height from a PNG's IHDR chunk, or undefined when the bytes are not a PNG. */
function pngSize(bytes: Buffer): { width: number; height: number } | undefined {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(signature) || bytes.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

function commandExists(id: string): boolean {
  return contributed.has(id) || id.startsWith('workbench.');
}

describe('walkthrough in package.json', () => {
  it('names pictures that are small PNGs at 1x scale, each with a text for screen readers', () => {
    const pictures = steps.flatMap((s) => (s.media.image ? [{ step: s.id, file: s.media.image, alt: s.media.altText }] : []));
    for (const s of steps.filter((x) => x.media.markdown)) {
      const md = fs.readFileSync(path.join(repo, s.media.markdown!), 'utf8');
      for (const [, alt, src] of md.matchAll(/!\[([^\]]*)\]\(([^)]+)\)/g)) {
        pictures.push({ step: s.id, file: path.posix.join(path.posix.dirname(s.media.markdown!), src), alt });
      }
    }
    assert.ok(pictures.length >= 5, `pictures: ${JSON.stringify(pictures)}`);
    for (const { step, file, alt } of pictures) {
      const bytes = fs.readFileSync(path.join(repo, file));
      const size = pngSize(bytes);
      assert.ok(size, `${file} (${step}) is a PNG`);
      assert.ok(size.width >= 800 && size.width <= 1200 && size.height >= 500 && size.height <= 700, `${file} is ${size.width}×${size.height}`);
      assert.ok(bytes.length <= MAX_BYTES, `${file} is ${bytes.length} bytes`);
      assert.ok(alt && alt.length > 20, `${file} has an alt text`);
    }
  });

  it('has a button on every step whose command exists, and completion events on commands that exist', () => {
    for (const s of steps) {
      const buttons = s.description.split('\n').filter((line) => /^\[[^\]]+\]\(command:[^)]+\)$/.test(line));
      assert.ok(buttons.length >= 1, `${s.id} has a button`);
      for (const line of buttons) {
        const id = /\(command:([^)?]+)/.exec(line)![1];
        assert.ok(commandExists(id), `${s.id}'s button runs ${id}, which exists`);
      }
      for (const event of s.completionEvents ?? []) {
        if (event.startsWith('onCommand:')) assert.ok(commandExists(event.slice('onCommand:'.length)), `${s.id}: ${event}`);
      }
    }
  });

  it('writes code in descriptions with the doubled backticks walkthroughs render', () => {
    for (const s of steps) {
      const single = s.description.replace(/``[^`]+``/g, '').match(/`[^`]+`/);
      assert.equal(single, null, `${s.id}: a single backtick shows as itself in a walkthrough step`);
    }
  });
});
