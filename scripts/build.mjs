/**
 * Compiles the bot (src/ and scripts/) to dist/ with tsc, so that production runs plain
 * JavaScript under node. Runs after `npm install` and, when the sources changed since
 * the last build, at `npm start`. Also bundles the form page and the coordinators' console (esbuild) into dist/web. Plain JavaScript itself: it must run before any build.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const distDir = path.join(projectRoot, 'dist');
/** Written after a successful build: which inputs it was made from. */
const stampPath = path.join(distDir, '.build-stamp.json');
const webDir = path.join(distDir, 'web');
const pageDir = path.join(projectRoot, 'src', 'web', 'page');
const playgroundPageDir = path.join(projectRoot, 'src', 'playground', 'page');
const consoleDir = path.join(projectRoot, 'src', 'web', 'console-page');
const inputs = ['src', 'scripts', 'locales', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

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
  if (!existsSync(stampPath) || !existsSync(path.join(distDir, 'src', 'main.js')) || !existsSync(path.join(webDir, 'page.js')) || !existsSync(path.join(webDir, 'console.js')) || !existsSync(path.join(webDir, 'playground.js'))) return true;
  const stamp = JSON.parse(readFileSync(stampPath, 'utf8'));
  const now = inputState();
  return now.newest > stamp.newest || now.files !== stamp.files;
}

export function build() {
  const before = inputState();
  const require = createRequire(import.meta.url);
  const tsc = require.resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', path.join(projectRoot, 'tsconfig.build.json')], { stdio: 'inherit', cwd: projectRoot });
  buildPage(require);
  writeFileSync(stampPath, JSON.stringify(before));
}

/**
 * The form page (src/web/page) as one script with the Telegram SDK inside, and its
 * style sheet, in dist/web: nothing is loaded from elsewhere at run time. So is the
 * playground's page (src/playground/page). esbuild is a development dependency; where
 * it is missing (a production install without dev dependencies) the page bundle kept
 * in dist/web is used.
 */
export function buildPage(require = createRequire(import.meta.url)) {
  let esbuild;
  try {
    esbuild = require('esbuild');
  } catch {
    if (existsSync(path.join(webDir, 'page.js')) && existsSync(path.join(webDir, 'console.js'))) return;
    throw new Error('esbuild is needed to build the form page (npm install without --omit=dev)');
  }
  mkdirSync(webDir, { recursive: true });
  // Three pages, three bundles: the forms (page.js), the coordinators' console (console.js) and the playground (playground.js).
  for (const [dir, name] of [[pageDir, 'page'], [consoleDir, 'console'], [playgroundPageDir, 'playground']]) {
    esbuild.buildSync({
      entryPoints: [path.join(dir, 'main.ts')],
      outfile: path.join(webDir, `${name}.js`),
      bundle: true,
      minify: true,
      format: 'iife',
      target: 'es2020',
      legalComments: 'none',
      logLevel: 'warning',
    });
    copyFileSync(path.join(dir, `${name}.css`), path.join(webDir, `${name}.css`));
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  build();
  console.log(`Compiled CityMentor to dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}
