/**
 * `npm run playground`: the whole bot in a browser, with no Telegram account. The real
 * bot runs against the embedded Bot API server on loopback, on its own SQLite file
 * (./data/playground.db, kept between runs; --fresh starts empty), and the page shows
 * each person's chat. Options: --fresh, --port N (or PLAYGROUND_PORT; default 3000).
 */
import { buildPage } from './build.mjs';
import { startPlayground } from '../src/playground/playground.js';

const args = process.argv.slice(2);
const fresh = args.includes('--fresh');
const portArg = args.find((a, i) => a.startsWith('--port=') || args[i - 1] === '--port');
const portText = portArg?.replace(/^--port=/, '') ?? process.env.PLAYGROUND_PORT ?? '3000';
const port = Number(portText);
const unknown = args.filter((a, i) => a !== '--fresh' && !a.startsWith('--port') && args[i - 1] !== '--port');
if (unknown.length > 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
  console.error('Usage: npm run playground [-- --fresh] [-- --port 3000]');
  process.exit(1);
}

// The page is bundled with the Mini App's pages; a fresh build takes a moment and keeps them in step with the sources.
buildPage();

let playground;
try {
  playground = await startPlayground({ fresh, port, env: { TIMEZONE: process.env.TIMEZONE, DEFAULT_LOCALE: process.env.DEFAULT_LOCALE } });
} catch (error) {
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`Port ${port} is in use: start with --port 3001 (or another free port).`);
    process.exit(1);
  }
  throw error;
}
console.log(`CityMentor playground: open ${playground.url}`);
console.log(`Data: ./data/playground.db${fresh ? ' (started empty)' : ' (kept between runs; --fresh starts empty)'}. Nothing leaves this computer. Ctrl+C stops.`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void playground.stop().then(() => process.exit(0));
  });
}
