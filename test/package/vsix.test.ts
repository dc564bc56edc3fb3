// The .vsix that `npm run package` writes, read as the zip archive it is: its size, what it must
// leave out (sources, tests, tooling, source maps, node_modules) and what the installed extension
// reads at run time (bundles, workers, wasm, webviews, the media the manifest names, the Python
// client). Run by the `package` suite of scripts/test-all.mjs after it builds the package.
import * as assert from 'assert';
import { builtinModules } from 'module';
import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import * as path from 'path';
import { repoRoot } from '../support/vscode-host.mjs';
import { ZipArchive } from '../support/zipArchive';

const MAX_BYTES = 3_000_000;
const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const vsix = path.resolve(process.env.EXPTRACK_VSIX || path.join(repoRoot, `${manifest.name}-${manifest.version}.vsix`));

/** Paths (inside the extension) that never belong in the package. */
const FORBIDDEN: Array<[RegExp, string]> = [
  [/^src\//, 'TypeScript sources'],
  [/^test\//, 'tests'],
  [/^demo\//, 'the demo workspace'],
  [/^bench\//, 'benchmarks'],
  [/^scripts\//, 'development scripts'],
  [/^\.ci\//, 'CI scripts'],
  [/^webview\//, 'webview sources'],
  [/^out\//, 'compiled tests'],
  [/^python\/tests\//, 'Python client tests'],
  [/(^|\/)\.venv(\/|$)/, 'a Python virtual environment'],
  [/(^|\/)\.vscode-test(\/|$)/, 'the test VS Code'],
  [/(^|\/)node_modules\//, 'node_modules'],
  [/(^|\/)__pycache__\//, 'Python bytecode'],
  [/\.map$/, 'source maps'],
  [/\.tsx?$/, 'TypeScript files'],
];

/** Every string in the manifest that names a file under media/ (view icons, the extension icon). */
function mediaNamedIn(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string' && /^\.?\/?media\//.test(value)) out.add(value.replace(/^\.?\//, ''));
  else if (Array.isArray(value)) value.forEach((v) => mediaNamedIn(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => mediaNamedIn(v, out));
  return out;
}

/** One browser bundle per webview/<name>/main.ts, as esbuild.config.mjs builds them. */
function webviewBundles(): string[] {
  const dir = path.join(repoRoot, 'webview');
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'main.ts')))
    .map((d) => `dist/webview/${d.name}.js`);
}

describe('the packaged extension (.vsix)', () => {
  let zip: ZipArchive;
  /** Paths inside the extension, e.g. `dist/extension.js`. */
  let files: string[];

  before(function () {
    assert.ok(existsSync(vsix), `${vsix} is missing; build it first: npm run package`);
    zip = ZipArchive.open(vsix);
    files = zip.entries.map((e) => e.name).filter((n) => n.startsWith('extension/')).map((n) => n.slice('extension/'.length));
    const bytes = statSync(vsix).size;
    console.log(`      ${path.basename(vsix)}: ${(bytes / 1e6).toFixed(2)} MB, ${files.length} files`);
    for (const e of zip.entries) console.log(`        ${e.name} (${(e.size / 1024).toFixed(1)} KB)`);
  });

  it(`is at most ${MAX_BYTES / 1e6} MB`, () => {
    const bytes = statSync(vsix).size;
    assert.ok(bytes <= MAX_BYTES, `${path.basename(vsix)} is ${(bytes / 1e6).toFixed(2)} MB`);
  });

  it('holds no sources, tests, tooling, virtual environments, source maps or node_modules', () => {
    const found = files.flatMap((f) => FORBIDDEN.filter(([re]) => re.test(f)).map(([, what]) => `${f} (${what})`));
    assert.deepStrictEqual(found, []);
  });

  it('holds the files the installed extension reads at run time', () => {
    const needed = [
      'package.json', 'README.md', 'CHANGELOG.md', 'LICENSE.txt', // vsce stores LICENSE as LICENSE.txt
      manifest.main.replace(/^\.\//, ''),
      // Loaded from dist/ by path: what activation loads on first use, the store worker and its wasm,
      // the schema-diff worker, the codicons.
      'dist/deferred.js', 'dist/storeWorker.js', 'dist/sql-wasm.wasm', 'dist/profileWorker.js',
      'dist/codicons/codicon.css', 'dist/codicons/codicon.ttf', 'dist/ThirdPartyNotices.txt',
      ...webviewBundles(),
      ...mediaNamedIn(manifest),
      'python/exptrack.py', 'python/README.md',
      ...(existsSync(path.join(repoRoot, 'python/pyproject.toml')) ? ['python/pyproject.toml'] : []),
    ];
    const have = new Set(files.map((f) => f.toLowerCase())); // vsce stores README.md as readme.md
    assert.deepStrictEqual(needed.filter((f) => !have.has(f.toLowerCase())), []);
    assert.ok(needed.includes('media/icon.png') && manifest.icon === 'media/icon.png', 'the manifest names its icon');
    if (manifest.scripts['build:python']) {
      assert.ok(files.some((f) => /^dist\/python\/[^/]+\.whl$/.test(f)), 'the Python client wheel built by build:python');
    }
  });

  it('holds every file a packaged webview script imports', () => {
    const have = new Set(files);
    const missing: string[] = [];
    for (const file of files.filter((f) => f.startsWith('dist/webview/') && f.endsWith('.js'))) {
      const code = zip.read(`extension/${file}`).toString('utf8');
      // Static and dynamic imports of a module page's parts: from"./x.js", import("./x.js").
      for (const m of code.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1]!));
        if (!have.has(target)) missing.push(`${file} imports ${m[1]} (${target})`);
      }
    }
    assert.deepStrictEqual(missing, []);
  });

  it('has production bundles that load only Node built-ins and vscode, with no source map links', () => {
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    const problems: string[] = [];
    for (const file of files.filter((f) => f.endsWith('.js'))) {
      const code = zip.read(`extension/${file}`).toString('utf8');
      if (/\/\/# sourceMappingURL=/.test(code)) problems.push(`${file}: links a source map`);
      for (const [, id] of code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)) {
        const inPackage = id.startsWith('.') && [id, `${id}.js`].some((f) => files.includes(path.posix.join(path.posix.dirname(file), f)));
        if (id !== 'vscode' && !builtins.has(id) && !inPackage) problems.push(`${file}: require("${id}") is not in the package`);
      }
    }
    assert.deepStrictEqual(problems, []);
  });

  it('carries the notice and license of every package it bundles', () => {
    const notices = zip.read('extension/dist/ThirdPartyNotices.txt').toString('utf8');
    const missing = Object.keys(manifest.dependencies).filter((name) => {
      const version = JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')).version;
      return !notices.includes(`\n${name} ${version} (`);
    });
    assert.deepStrictEqual(missing, [], 'runtime dependencies without a notice');
    // Apache-2.0 (crc-32) asks for its license text itself, not only its name.
    assert.match(notices, /crc-32 [\d.]+ \(Apache-2\.0\)[\s\S]*Apache License[\s\S]*Version 2\.0/);
  });

  it('carries a manifest with its license, repository, icon and supported VS Code', () => {
    const packaged = JSON.parse(zip.read('extension/package.json').toString('utf8'));
    assert.strictEqual(packaged.license, 'MIT');
    assert.match(zip.read('extension/LICENSE.txt').toString('utf8'), /^MIT License/);
    assert.match(packaged.repository?.url ?? '', /^https:\/\/github\.com\//);
    assert.ok(packaged.bugs?.url && packaged.homepage, 'bugs and homepage');
    assert.strictEqual(packaged.engines.vscode, '^1.100.0', 'the oldest VS Code the smoke suite runs on');
    const icon = zip.read(`extension/${packaged.icon}`);
    assert.strictEqual(icon.toString('latin1', 1, 4), 'PNG');
    assert.deepStrictEqual([icon.readUInt32BE(16), icon.readUInt32BE(20)], [128, 128], 'a 128×128 icon');
  });
});
