/**
 * Compiles the bot (src/ and scripts/) to dist/ with tsc, so that production runs plain
 * JavaScript under node. Runs after `npm install` and, when the sources changed since
 * the last build, at `npm start`. Plain JavaScript itself: it must run before any build.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const distDir = path.join(projectRoot, 'dist');
/** Written after a successful build: which inputs it was made from. */
const stampPath = path.join(distDir, '.build-stamp.json');
const inputs = ['src', 'scripts', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

/** The newest change among the build's inputs, and how many files there are (a deleted file counts too). */
function inputState() {
  let newest = 0;
  let files = 0;
  const visit = (p) => {
    const stat = statSync(p);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(p)) visit(path.join(p, entry));
      return;
    }
    files++;
    newest = Math.max(newest, stat.mtimeMs);
  };
  for (const input of inputs) {
    const p = path.join(projectRoot, input);
    if (existsSync(p)) visit(p);
  }
  return { newest, files };
}

export function buildIsStale() {
  if (!existsSync(stampPath) || !existsSync(path.join(distDir, 'src', 'main.js'))) return true;
  const stamp = JSON.parse(readFileSync(stampPath, 'utf8'));
  const now = inputState();
  return now.newest > stamp.newest || now.files !== stamp.files;
}

export function build() {
  const before = inputState();
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', path.join(projectRoot, 'tsconfig.build.json')], { stdio: 'inherit', cwd: projectRoot });
  writeFileSync(stampPath, JSON.stringify(before));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  build();
  console.log(`Compiled CityMentor to dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}
