import { describe, expect, it } from 'vitest';
import { addMember, createTeam } from '../src/db/teams.js';
import { COORDINATOR_ID } from './support/application.js';
import { startTestBot } from './support/test-bot.js';

describe('/cancel', () => {
  it('drops a broadcast waiting for its text, so the next message is not taken as one', async () => {
    const bot = await startTestBot({ env: { ADMIN_IDS: String(COORDINATOR_ID) } });
    const coordinator = bot.user({ id: COORDINATOR_ID, language_code: 'en' });
    // Somebody to write to: a member of a mentee team.
    await bot.user({ id: 1502 }).send('/start');
    const { db } = bot.app.deps;
    const member = await db.person.findUniqueOrThrow({ where: { telegramId: 1502n } });
    const programme = await db.programme.findFirstOrThrow();
    const team = await createTeam(db, { programmeId: programme.id, kind: 'municipality', name: 'Irpin', country: 'Ukraine', createdById: member.id });
    await addMember(db, team.id, member.id, new Date());
    await coordinator.send('/broadcast');
    await coordinator.pressCallback('bc|a|everyone');
    expect((await coordinator.send('/cancel')).text).toBe('Broadcast cancelled: nothing was sent to anyone. Start a new one with /broadcast.');
    expect((await coordinator.send('Hello everyone')).text).toContain('I did not understand');
    expect(await bot.app.deps.db.broadcast.count()).toBe(0);
  });

  it('says when there is nothing to stop', async () => {
    const bot = await startTestBot();
    expect((await bot.user({ id: 1501 }).send('/cancel')).text).toBe('There is nothing to stop right now.');
  });
});
