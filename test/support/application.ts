import { expect } from 'vitest';
import type { TestBot } from './test-bot.js';
import type { Replies, TelegramUser } from './telegram-user.js';

export const COORDINATOR_ID = 900;

/** A coordinator opens the call with a deadline (entered in Kyiv time). */
export async function openCall(bot: TestBot, deadline = '21.11.2025 23:59'): Promise<void> {
  const coordinator = bot.user({ id: COORDINATOR_ID, first_name: 'Iryna', language_code: 'en' });
  await coordinator.send('/start');
  await coordinator.send(`/call deadline ${deadline}`);
  await coordinator.send('/call open');
}

export interface ApplicationAnswers {
  name: string;
  email?: string;
  withCv?: boolean;
  experience?: string;
}

/**
 * Answers the application question by question, from `from` up to the review,
 * checking that each answer was accepted. Returns what the bot sent after the last one.
 */
export async function answerApplication(user: TelegramUser, answers: ApplicationAnswers, from = 'full_name'): Promise<Replies> {
  const steps: Array<[string, () => Promise<Replies>]> = [
    ['full_name', () => user.send(answers.name)],
    ['email', () => user.send(answers.email ?? 'mentor@example.org')],
    ['phone', () => user.pressCallback('f|k|phone|')],
    ['country', () => user.send('Ukraine')],
    ['city', () => user.send('Lviv')],
    ['organisation', () => user.send('City council')],
    ['position', () => user.send('Head of international relations')],
    ['expertise_areas', async () => {
      await user.pressCallback('f|t|expertise_areas|0');
      await user.pressCallback('f|t|expertise_areas|4');
      return user.pressCallback('f|d|expertise_areas|');
    }],
    ['experience_years', () => user.send('12')],
    ['experience_description', async () => {
      await user.send(answers.experience ?? 'Twelve years of twinning projects.');
      return user.pressCallback('f|d|experience_description|');
    }],
    ['context_knowledge', () => user.pressCallback('f|c|context_knowledge|4')],
    ['context_comment', () => user.pressCallback('f|k|context_comment|')],
    ['cv', () =>
      answers.withCv
        ? user.sendDocument({ file_name: 'cv.pdf', mime_type: 'application/pdf', file_size: 120_000 })
        : user.pressCallback('f|k|cv|')],
    ['working_languages', async () => {
      await user.pressCallback('f|t|working_languages|0');
      await user.pressCallback('f|t|working_languages|1');
      return user.pressCallback('f|d|working_languages|');
    }],
    ['english_level', () => user.pressCallback('f|c|english_level|3')],
    ['ready_six_months', () => user.pressCallback('f|c|ready_six_months|0')],
    ['ready_to_travel', () => user.pressCallback('f|c|ready_to_travel|0')],
    ['ready_for_meetings', () => user.pressCallback('f|c|ready_for_meetings|0')],
    ['preferences', () => user.pressCallback('f|k|preferences|')],
    ['motivation', async () => {
      await user.send('I want to help communities build partnerships.');
      return user.pressCallback('f|d|motivation|');
    }],
    ['heard_from', () => user.pressCallback('f|c|heard_from|2')],
    ['consent', () => user.pressCallback('f|a|consent|')],
  ];
  const start = steps.findIndex(([id]) => id === from);
  if (start < 0) throw new Error(`No application question ${from}`);
  let last: Replies | undefined;
  for (const [, step] of steps.slice(start)) {
    last = await step();
    expect(last.text, 'the bot accepted the answer').not.toMatch(/form\.errors|does not look like|I need text|Please answer with the buttons/);
  }
  return last!;
}
