/**
 * `npm start`: runs the compiled bot with plain node, compiling it first when dist/ is
 * missing or older than the sources (a fresh clone, a `git pull`, an edit).
 */
import { build, buildIsStale } from './build.mjs';

if (buildIsStale()) {
  console.log('Compiling CityMentor (the sources changed since the last build)…');
  build();
}
await import('../dist/src/main.js');
