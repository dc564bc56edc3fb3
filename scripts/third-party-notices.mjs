// Writes the notices of the npm packages whose code the shipped bundles contain (taken from
// esbuild's metafiles, so transitive packages count and unused ones do not) and of the files
// copied from packages as they are (sql.js's wasm, the codicons). Their licenses (MIT, ISC, BSD,
// Apache-2.0, CC-BY-4.0) ask for their notices to travel with copies: the .vsix holds this file.
import * as fs from 'node:fs';
import * as path from 'node:path';

const LICENSE_FILE = /^(licen[cs]e|copying|notice)([-.].*)?$/i;

/** `node_modules/@scope/name/…` or `node_modules/name/…` → the package's folder (the innermost one). */
function packageDirOf(root, input) {
  const file = input.replace(/^[\w-]+:/, ''); // plugin namespaces, e.g. zod-locales:/abs/path
  const abs = path.resolve(root, file);
  const at = abs.lastIndexOf(`${path.sep}node_modules${path.sep}`);
  if (at < 0) return undefined;
  const rest = abs.slice(at + '/node_modules/'.length).split(path.sep);
  const name = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  return path.join(abs.slice(0, at), 'node_modules', name);
}

/** The package folders whose files went into the bundles described by these metafiles. */
export function bundledPackageDirs(root, metafiles) {
  const dirs = new Set();
  for (const meta of metafiles) {
    for (const input of Object.keys(meta.inputs)) {
      const dir = packageDirOf(root, input);
      if (dir) dirs.add(dir);
    }
  }
  return [...dirs];
}

function noticeOf(dir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const licenseFiles = fs.readdirSync(dir).filter((f) => LICENSE_FILE.test(f)).sort();
  if (licenseFiles.length === 0) throw new Error(`${manifest.name} ships no license file: its notice cannot be included`);
  const texts = licenseFiles.map((f) => fs.readFileSync(path.join(dir, f), 'utf8').trim());
  const license = typeof manifest.license === 'string' ? manifest.license : manifest.license?.type ?? 'see below';
  return { name: manifest.name, text: `${manifest.name} ${manifest.version} (${license})\n${manifest.homepage ?? ''}\n\n${texts.join('\n\n')}` };
}

/** Writes `outFile`; returns the package names it covers. */
export function writeThirdPartyNotices(outFile, packageDirs) {
  const notices = [...new Set(packageDirs)].map(noticeOf).sort((a, b) => a.name.localeCompare(b.name));
  const rule = '-'.repeat(78);
  const body = [
    'ExpTrack includes the following third-party software. Each is distributed under its own license, reproduced here.',
    ...notices.map((n) => `${rule}\n${n.text}`),
  ].join('\n\n');
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, `${body}\n`);
  return notices.map((n) => n.name);
}
