import { Composer, InlineKeyboard } from 'grammy';
import type { BotContext } from '../context.js';
import { exampleDeadline, isOpen, parseDeadline } from '../domain/deadline.js';
import { isValidZone } from '../domain/time-zone.js';
import { localTimeText } from '../local-time-text.js';
import type { Programme } from '../db/database.js';
import { recordAudit } from '../db/audit.js';
import { countResponsesByStatus } from '../db/form-responses.js';
import { mentorApplicationForm } from '../forms/mentor-application.js';
import { programmeOf, openCall, setApplicationDeadline, setProgrammeName } from '../db/programmes.js';
import { MAX_PROGRAMME_NAME_LENGTH, programmeName, withName } from '../domain/programme-name.js';
import { isLocale } from '../locales.js';
import { coordinatorOnly } from '../middleware/coordinator-only.js';

/**
 * The coordinator's control of the call for mentors: /call shows it;
 * /call open, /call close, /call deadline DD.MM.YYYY HH:MM [Time/Zone] and
 * /call name [language] <name> change it.
 */
export const callFeature = new Composer<BotContext>();

async function callStatus(ctx: BotContext, programme: Programme): Promise<void> {
  const { t } = ctx;
  const counts = await countResponsesByStatus(ctx.deps.db, programme.id, mentorApplicationForm.id);
  const lines = [
    `<b>${t('call.title', { programme: programmeName(programme, ctx.locale) })}</b>`,
    t(!programme.callOpen ? 'call.is_closed' : isOpen(programme.applicationDeadline, ctx.deps.clock.now()) ? 'call.is_open' : 'call.open_but_past'),
    programme.applicationDeadline
      ? t('call.deadline', { deadline: localTimeText(t, programme.applicationDeadline, programme.timeZone, ctx.locale) })
      : t('call.no_deadline'),
    t('call.counts', { submitted: counts.submitted, drafts: counts.draft, withdrawn: counts.withdrawn }),
    '',
    t('call.usage', { example: exampleDeadline(ctx.deps.clock.now(), programme.timeZone) }),
    t('call.name_usage'),
  ];
  const keyboard = new InlineKeyboard().text(
    t(programme.callOpen ? 'call.close_button' : 'call.open_button'),
    programme.callOpen ? 'call|close' : 'call|open',
  );
  await ctx.reply(lines.join('\n'), { reply_markup: keyboard });
}

callFeature.command('call', coordinatorOnly, async (ctx) => {
  const { deps, t } = ctx;
  const programme = await programmeOf(deps);
  const [action, ...rest] = ctx.match.trim().split(/\s+/);
  if (!action) return callStatus(ctx, programme);
  if (action === 'open' || action === 'close') {
    const updated = await openCall(deps.db, programme.id, action === 'open');
    await recordAudit(deps.db, { actorId: ctx.person.id, action: `call_${action}`, details: { programmeId: programme.id }, at: deps.clock.now() });
    return callStatus(ctx, updated);
  }
  if (action === 'name') return setName(ctx, programme, ctx.match.trim().replace(/^name\s*/, ''));
  if (action === 'deadline') {
    const zoneGiven = rest.length > 0 && /\//.test(rest.at(-1)!) ? rest.at(-1)! : undefined;
    const zone = zoneGiven ?? programme.timeZone;
    if (!isValidZone(zone)) return void (await ctx.reply(t('call.bad_zone', { zone })));
    const text = (zoneGiven ? rest.slice(0, -1) : rest).join(' ');
    const deadline = parseDeadline(text, zone);
    if (!deadline) return void (await ctx.reply(t('call.bad_deadline', { example: exampleDeadline(deps.clock.now(), zone) })));
    if (!isOpen(deadline, deps.clock.now())) {
      return void (await ctx.reply(t('call.past_deadline', { deadline: localTimeText(t, deadline, zone, ctx.locale) })));
    }
    const updated = await setApplicationDeadline(deps.db, programme.id, deadline, zone);
    await recordAudit(deps.db, {
      actorId: ctx.person.id,
      action: 'call_deadline',
      details: { programmeId: programme.id, deadline: deadline.toISOString(), zone },
      at: deps.clock.now(),
    });
    await ctx.reply(t('call.deadline_set', { deadline: localTimeText(t, deadline, zone, ctx.locale) }));
    return callStatus(ctx, updated);
  }
  await ctx.reply(t('call.usage', { example: exampleDeadline(deps.clock.now(), programme.timeZone) }));
});

/** /call name <name>, or /call name <language> <name> for one language. */
async function setName(ctx: BotContext, programme: Programme, words: string): Promise<void> {
  const { deps, t } = ctx;
  const [first = '', ...others] = words.split(/\s+/);
  const locale = isLocale(first) && others.length > 0 ? first : undefined;
  const name = (locale ? words.slice(first.length) : words).trim();
  if (!name) return void (await ctx.reply(t('call.name_usage')));
  if (name.length > MAX_PROGRAMME_NAME_LENGTH) {
    return void (await ctx.reply(t('call.name_too_long', { length: name.length, max: MAX_PROGRAMME_NAME_LENGTH })));
  }
  await setProgrammeName(deps.db, programme.id, withName(programme, name, locale));
  await recordAudit(deps.db, { actorId: ctx.person.id, action: 'programme_name', details: { programmeId: programme.id, name, locale }, at: deps.clock.now() });
  await ctx.reply(locale ? t('call.name_set_language', { name, language: locale }) : t('call.name_set', { name }));
}

callFeature.callbackQuery(/^call\|(open|close)$/, coordinatorOnly, async (ctx) => {
  const programme = await programmeOf(ctx.deps);
  const updated = await openCall(ctx.deps.db, programme.id, ctx.match[1] === 'open');
  await recordAudit(ctx.deps.db, { actorId: ctx.person.id, action: `call_${ctx.match[1]}`, details: { programmeId: programme.id }, at: ctx.deps.clock.now() });
  await ctx.answerCallbackQuery({ text: ctx.t(updated.callOpen ? 'call.is_open' : 'call.is_closed') });
  await callStatus(ctx, updated);
});
