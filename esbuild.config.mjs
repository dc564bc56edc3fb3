// Bundles the extension host code, the store worker, the CLI and one browser bundle per webview.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundledPackageDirs, writeThirdPartyNotices } from './scripts/third-party-notices.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const root = path.dirname(new URL(import.meta.url).pathname);
const dist = path.join(root, 'dist');

/** Prints errors in the shape of VS Code's esbuild problem matcher. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    if (!watch) return;
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

/**
 * zod's namespace object re-exports every locale (~250 KB minified) so bundlers cannot drop them;
 * messages here are English only, so the locale index resolves to English alone.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}zod${path.sep}`) ? { path: path.join(path.dirname(args.importer), '..', 'locales', 'index.js'), namespace: 'zod-locales' } : undefined);
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(path.join(path.dirname(args.path), 'en.js'))};`,
      resolveDir: path.dirname(args.path),
    }));
  },
};

/**
 * Pages use zod/mini only (src/shared/protocol): classic zod would add ~200 KB to each page and a
 * second way of writing schemas. A page that pulls it in fails the build, naming the importer.
 */
const zodMiniOnly = {
  name: 'zod-mini-only',
  setup(build) {
    build.onResolve({ filter: /^zod(\/v4)?(\/classic)?$/ }, (args) => ({
      errors: [{ text: `${path.relative(root, args.importer)} imports '${args.path}': pages use 'zod/mini'` }],
    }));
  },
};

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  plugins: [problemMatcher, zodEnglishOnly],
  // Node has no navigator to probe, and VS Code's extension host (1.139+) logs a PendingMigrationError
  // whenever code reads the global (zod does, deciding whether it may compile parsers).
  define: { navigator: 'undefined', 'globalThis.navigator': 'undefined' },
};

const webviewEntries = fs.existsSync(path.join(root, 'webview'))
  ? fs.readdirSync(path.join(root, 'webview'), { withFileTypes: true })
      .filter((d) => d.isDirectory() && fs.existsSync(path.join(root, 'webview', d.name, 'main.ts')))
      .map((d) => ({ in: `webview/${d.name}/main.ts`, out: d.name }))
  : [];
/**
 * Pages that load in parts: an ES module whose first part draws what is seen first and imports the
 * rest (webviewHtml's `module` option). Each is its own build, so its parts are its own.
 */
const modulePages = ['compare'];

/** What activation loads reaches src/extension/deferred.ts, built apart, only on first use (startup/loadDeferred.ts). */
const deferredApart = {
  name: 'deferred-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/deferred$/ }, (args) =>
      args.importer.endsWith(path.join('src', 'extension', 'startup', 'loadDeferred.ts')) ? { path: './deferred.js', external: true } : undefined);
  },
};

const builds = [
  { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [...node.plugins, deferredApart] },
  { ...node, entryPoints: ['src/extension/deferred.ts'], outfile: 'dist/deferred.js', external: ['vscode'] },
  { ...node, entryPoints: ['src/core/store/storeWorker.ts'], outfile: 'dist/storeWorker.js' },
  { ...node, entryPoints: ['src/core/datasets/profileWorker.ts'], outfile: 'dist/profileWorker.js' },
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];
const page = {
  bundle: true, platform: 'browser', target: 'es2022', sourcemap: !production, minify: production,
  logLevel: 'warning', plugins: [problemMatcher, zodEnglishOnly, zodMiniOnly], outdir: 'dist/webview', loader: { '.css': 'text' },
};
const scriptPages = webviewEntries.filter((e) => !modulePages.includes(e.out));
if (scriptPages.length) builds.push({ ...page, format: 'iife', entryPoints: scriptPages });
for (const entry of webviewEntries.filter((e) => modulePages.includes(e.out))) {
  // Chunk names carry a hash: the parts of an earlier build would otherwise pile up (and be packaged).
  fs.rmSync(path.join(dist, 'webview', `${entry.out}-parts`), { recursive: true, force: true });
  builds.push({ ...page, format: 'esm', splitting: true, entryPoints: [entry], chunkNames: `${entry.out}-parts/[name]-[hash]` });
}

/** Packages whose files are copied into dist/ as they are (copyAssets). */
const copiedPackages = ['sql.js', '@vscode/codicons'];

function copyAssets() {
  fs.mkdirSync(dist, { recursive: true });
  fs.copyFileSync(path.join(root, 'node_modules/sql.js/dist/sql-wasm.wasm'), path.join(dist, 'sql-wasm.wasm'));
  const codicons = path.join(root, 'node_modules/@vscode/codicons/dist');
  fs.mkdirSync(path.join(dist, 'codicons'), { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) fs.copyFileSync(path.join(codicons, f), path.join(dist, 'codicons', f));
}

copyAssets();
if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  const results = await Promise.all(builds.map((b) => esbuild.build({ ...b, metafile: true })));
  fs.chmodSync(path.join(dist, 'cli.js'), 0o755);
  // The CLI is not in the .vsix: its packages are not what the extension ships.
  const shipped = results.filter((_, i) => builds[i].outfile !== 'dist/cli.js').map((r) => r.metafile);
  const dirs = [...bundledPackageDirs(root, shipped), ...copiedPackages.map((p) => path.join(root, 'node_modules', p))];
  writeThirdPartyNotices(path.join(dist, 'ThirdPartyNotices.txt'), dirs);
}
