import type { RunningApp } from '../app.js';
import type { FakeBotApi } from './bot-api-server.js';

/** The demo programme (filled in by the next step of issue 14). */
export async function loadDemoProgramme(_playground: { app: RunningApp; api: FakeBotApi }): Promise<{ summary: string }> {
  return { summary: 'The demo programme is not available in this version yet.' };
}
