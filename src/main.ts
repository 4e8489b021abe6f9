import { startApp } from './app.js';
import { ConfigError, loadConfig, loadEnvFile } from './config.js';
import { TokenRefusedError } from './telegram-connection.js';
import { leanV8SettingsAfterStart, useLeanV8Settings } from './v8-settings.js';

useLeanV8Settings();

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
leanV8SettingsAfterStart();
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
