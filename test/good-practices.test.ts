import { describe, expect, it } from 'vitest';
import { addMember, createTeam } from '../src/db/teams.js';
import { goodPracticeForm } from '../src/forms/good-practice.js';
import { startTestBot } from './support/test-bot.js';

describe('good practices', () => {
  it('are described with the Annex 4 template and visible to the pair, not to others', async () => {
    const bot = await startTestBot();
    const { db } = bot.app.deps;
    const mentorUser = bot.user({ id: 601, first_name: 'Mārtiņš', language_code: 'en' });
    const memberUser = bot.user({ id: 602, first_name: 'Olena', language_code: 'en' });
    const outsider = bot.user({ id: 603, first_name: 'Other', language_code: 'en' });
    for (const u of [mentorUser, memberUser, outsider]) await u.send('/start');
    const person = (telegramId: bigint) => db.person.findUniqueOrThrow({ where: { telegramId } });
    const mentorPerson = await person(601n);
    const memberPerson = await person(602n);
    const outsiderPerson = await person(603n);
    const programme = await db.programme.findFirstOrThrow();
    const mentor = await db.mentor.create({ data: { programmeId: programme.id, personId: mentorPerson.id, applicationId: 1, acceptedAt: new Date() } });
    await db.mentor.create({ data: { programmeId: programme.id, personId: outsiderPerson.id, applicationId: 2, acceptedAt: new Date() } });
    const team = await createTeam(db, { programmeId: programme.id, kind: 'municipality', name: 'Zhovkva', country: 'Ukraine', createdById: mentorPerson.id });
    await addMember(db, team.id, memberPerson.id, new Date());
    await db.pair.create({ data: { programmeId: programme.id, mentorId: mentor.id, teamId: team.id, createdById: mentorPerson.id, publishedAt: new Date() } });

    await mentorUser.send('/practices');
    await mentorUser.pressCallback('gp|add');
    // Answer every question of the template: texts, skip the optional ones.
    for (const question of goodPracticeForm.sections.flatMap((s) => s.questions)) {
      if (question.required === false) {
        await mentorUser.pressCallback(`f|k|${question.id}|`);
      } else if (question.type === 'long_text' && question.multiMessage) {
        await mentorUser.send(question.id === 'name' ? 'Riga partnership office' : `About ${question.id}`);
        await mentorUser.pressCallback(`f|d|${question.id}|`);
      } else {
        await mentorUser.send(question.id === 'name' ? 'Riga partnership office' : `About ${question.id}`);
      }
    }
    const shared = await mentorUser.pressCallback('f|s|review|');
    expect(shared.text).toContain('Saved and shared with your pair');
    expect(memberUser.lastBotText()).toContain('Your pair has shared a good practice: Riga partnership office');

    const seen = await memberUser.send('/practices');
    expect(seen.text).toContain('Riga partnership office — from your pair');
    const practice = await db.goodPractice.findFirstOrThrow();
    const opened = await memberUser.pressCallback(`gp|v|${practice.id}`);
    expect(opened.text).toContain('About context_rationale');

    // The team member can read but not change it; someone outside the pair sees nothing of it.
    expect((await memberUser.pressData(`gp|d|${practice.id}`)).callbackAnswer).toBe('This button is no longer active.');
    expect((await outsider.send('/practices')).text).not.toContain('Riga partnership office');
    expect((await outsider.pressData(`gp|v|${practice.id}`)).callbackAnswer).toBe('This button is no longer active.');
    expect(await db.goodPractice.count()).toBe(1);

    // ✖ asks first: Keep leaves it, Delete removes it, and an old ✖ says it is gone already.
    await mentorUser.send('/practices');
    const asked = await mentorUser.press('✖');
    expect(asked.text).toBe('Delete the good practice «Riga partnership office» with all its answers? Your pair will no longer see it either.');
    expect((await mentorUser.press('Keep it')).text).toContain('Riga partnership office — yours');
    expect(await db.goodPractice.count()).toBe(1);
    await mentorUser.press('✖');
    const deleted = await mentorUser.press('✖ Delete');
    expect(deleted.text).toContain('Deleted.');
    expect(await db.goodPractice.count()).toBe(0);
    expect((await mentorUser.pressData(`gp|dy|${practice.id}`)).callbackAnswer).toBe('This good practice has already been deleted.');
  });
});
