import { setFlagsFromString } from 'node:v8';
import { startApp } from './app.js';
import { ConfigError, loadConfig, loadEnvFile } from './config.js';
import { TokenRefusedError } from './telegram-connection.js';

// Memory for small servers (bench/startup.ts measures it). Prisma's query compiler is
// WebAssembly: V8 would compile its hot functions again with its optimising tier, which
// costs some 10 MiB kept for good, while query plans are cached anyway. A small young
// generation keeps a few MiB more off; the form benchmark showed no loss of speed.
// Both must be set before the first query.
setFlagsFromString('--liftoff-only');
setFlagsFromString('--max-semi-space-size=1');

loadEnvFile();

let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

let app;
try {
  app = await startApp(config);
} catch (error) {
  if (error instanceof TokenRefusedError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
const logger = app.deps.logger;

process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    logger.info({ signal }, 'shutting down');
    app.stop().then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
