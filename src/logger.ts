import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured logs. Secrets handed in here are cut out of every line before it is
 * written, whatever the line came from (an error from the HTTP client can carry
 * the request URL, which holds the bot token).
 */
export function createLogger(level: string, secrets: string[] = [], destination?: pino.DestinationStream): Logger {
  const hidden = secrets.filter((s) => s.length >= 8);
  return pino(
    {
      level,
      base: undefined,
      hooks: {
        streamWrite: (line) => hidden.reduce((out, secret) => out.split(secret).join('[redacted]'), line),
      },
    },
    destination,
  );
}
