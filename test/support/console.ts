import { findOrCreateResponse, personOwner, type ResponseStatus, saveAnswer, setResponseStatus } from '../../src/db/form-responses.js';
import { currentProgramme } from '../../src/db/programmes.js';
import { COORDINATOR_ID } from './application.js';
import type { TestBot } from './test-bot.js';
import { callApi, initDataFor } from './web.js';

export const coordinatorProfile = { id: COORDINATOR_ID, first_name: 'Iryna', language_code: 'en' };

export interface SeedApplication {
  name: string;
  country?: string;
  city?: string;
  expertise?: string[];
  languages?: string[];
  englishLevel?: string;
  status?: ResponseStatus;
  cv?: { kind: 'file'; fileId: string; fileName: string } | { kind: 'url'; url: string };
}

/**
 * A submitted application as the form engine stores it (answering every question
 * through the bot for many people would be slow); the applicant has opened the bot.
 */
export async function seedApplication(bot: TestBot, telegramId: number, a: SeedApplication, language = 'en'): Promise<number> {
  await bot.user({ id: telegramId, first_name: a.name.split(' ')[0], language_code: language }).send('/start');
  const { db } = bot.app.deps;
  const person = await db.person.findUniqueOrThrow({ where: { telegramId: BigInt(telegramId) } });
  const programme = await currentProgramme(db, { timeZone: 'Europe/Kyiv' });
  const response = await findOrCreateResponse(db, { programmeId: programme.id, formId: 'application', ownerKey: personOwner(person.id) });
  const at = new Date('2025-11-09T10:00:00Z');
  const save = (questionId: string, value: Parameters<typeof saveAnswer>[1]['value']) =>
    saveAnswer(db, { responseId: response.id, questionId, value, answeredById: person.id, at });
  await save('full_name', a.name);
  await save('email', `${telegramId}@example.org`);
  await save('country', a.country ?? 'Poland');
  await save('city', a.city ?? 'Lublin');
  await save('expertise_areas', { choices: a.expertise ?? ['international_cooperation'] });
  await save('working_languages', { choices: a.languages ?? ['en'] });
  await save('english_level', a.englishLevel ?? 'B2');
  await save('motivation', `I want to help, says ${a.name}.`);
  if (a.cv) await save('cv', a.cv);
  if (a.status !== 'draft') await setResponseStatus(db, response.id, 'submitted', at);
  if (a.status === 'withdrawn') await setResponseStatus(db, response.id, 'withdrawn', at);
  return response.id;
}

/** The coordinator has opened the bot (the console needs them stored, as the chat does). */
export async function startCoordinator(bot: TestBot) {
  await bot.user(coordinatorProfile).send('/start');
  return initDataFor(bot, coordinatorProfile);
}

export const consoleApi = (bot: TestBot, auth: string | undefined) => ({
  get: (path: string) => callApi(bot, 'GET', `/console${path}`, auth),
  post: (path: string, body?: unknown) => callApi(bot, 'POST', `/console${path}`, auth, body ?? {}),
  put: (path: string, body?: unknown) => callApi(bot, 'PUT', `/console${path}`, auth, body ?? {}),
});
