// npm run build (and prepare): compile the library and the CLI into dist/ with tsc, then copy the
// JSON files the code reads at run time next to the modules that read them (the contract's bundled
// documents beside openapi/contract.js, the scenario files beside core/scenarios/scenarios.js, the
// cassette schema beside core/cassette/, the stand-in's redemption rules beside mock/, the shared
// k6 thresholds beside loadtest/), and mark
// package.json's bins executable. Plain JavaScript so that it runs before anything is built.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dist = path.join(root, 'dist');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** Folders whose JSON files the code reads at run time, relative to the package root. */
const jsonFolders = ['openapi/generated', 'core/scenarios', 'core/cassette', 'harness/report', 'mock', 'loadtest'];
/** JSON in those folders that is for the tools, not read at run time (loadtest/'s k6 type-check settings). */
const toolJson = /^tsconfig.*\.json$/;

rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
for (const folder of jsonFolders) {
  for (const file of readdirSync(path.join(root, folder)).filter(
    (name) => name.endsWith('.json') && !toolJson.test(name),
  )) {
    cpSync(path.join(root, folder, file), path.join(dist, folder, file));
  }
}

// tsc writes files without the execute bit and npm sets it only when it installs (npm ci, or npx's
// first run in a checkout): without this, `npx gb-coupon` fails with Permission denied after a rebuild.
const { bin = {} } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
for (const file of typeof bin === 'string' ? [bin] : Object.values(bin)) chmodSync(path.join(root, file), 0o755);
