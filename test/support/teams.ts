import { expect } from 'vitest';
import { COORDINATOR_ID } from './application.js';
import type { TelegramUser } from './telegram-user.js';
import type { TestBot } from './test-bot.js';

/** The coordinator registers Zhovkva through /newteam; returns the team id and its invitation code. */
export async function registerTeam(bot: TestBot): Promise<{ id: number; code: string; coordinator: TelegramUser }> {
  const coordinator = bot.user({ id: COORDINATOR_ID, first_name: 'Iryna', language_code: 'en' });
  await coordinator.send('/start');
  await coordinator.send('/newteam');
  await coordinator.pressCallback('f|c|kind|0');
  await coordinator.send('Zhovkva community');
  await coordinator.send('Ukraine');
  await coordinator.pressCallback('f|k|region|');
  await coordinator.send('13 000');
  await coordinator.send('Oksana Melnyk, head of the development department');
  await coordinator.pressCallback('f|k|contact_email|');
  const registered = await coordinator.pressCallback('f|s|review|');
  expect(registered.text).toMatch(/Registered: Zhovkva community \(\/team_\d+\)/);
  const id = Number(/\/team_(\d+)/.exec(registered.text)![1]);
  const code = /start=team_([\w-]+)/.exec(registered.text)![1]!;
  return { id, code, coordinator };
}

/** Opens the invitation link, which names the team, and joins. */
export async function joinTeam(user: TelegramUser, code: string) {
  const invitation = await user.send(`/start team_${code}`);
  expect(invitation.text).toContain('Zhovkva community');
  return user.pressCallback(`tj|${code}`);
}
