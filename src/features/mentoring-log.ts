import { Composer, InlineKeyboard } from 'grammy';
import { DateTime } from 'luxon';
import type { BotContext } from '../context.js';
import { findMentor } from '../db/mentors.js';
import {
  activePairsOfMentor,
  createLog,
  daysLoggedOn,
  deleteOwnLog,
  findJustLogged,
  findOwnLog,
  listLogSummaries,
  logAwaitingNote,
  MAX_NOTE_LENGTH,
  pairLabels,
  setNote,
} from '../db/mentoring-logs.js';
import { findPair, type Pair } from '../db/pairs.js';
import type { MentoringActivity } from '../domain/progress.js';
import { parseLocalDate } from '../domain/time-zone.js';
import { activityLabel, addDays, amountLabel, formatDays, localToday, pairStart, showDate } from './progress.js';
import { programmeOf } from '../db/programmes.js';
import { currentLogStep, forgetLogStep, type LogStep, noteLogStep } from '../db/mentoring-log-steps.js';
import { buttonChoices } from '../button-step.js';

/**
 * /log: a mentor records mentoring time for one of their pairs, with buttons: the
 * pair (when they have several), the day (today, yesterday, or `/log DD.MM.YYYY`),
 * half or whole, and the activity. Every step's choices travel in the button data,
 * so a restart in between loses nothing. The entry counts as soon as it is saved;
 * the mentor may then send a private note, which only the pair ever sees.
 */
export const mentoringLogFeature = new Composer<BotContext>();

/** After this long, the mentor's next message is no longer taken as the note. */
const NOTE_WINDOW_MS = 30 * 60_000;
/** A second tap on Save within this long is the same entry. */
const DOUBLE_TAP_MS = 60_000;

const ACTIVITY_CODES: ReadonlyArray<[string, MentoringActivity]> = [
  ['os', 'online_session'],
  ['vi', 'visit'],
  ['pr', 'preparation'],
  ['pe', 'programme_event'],
  ['ot', 'other'],
];
const ACTIVITY_BY_CODE = new Map(ACTIVITY_CODES);
const AMOUNTS = new Map<string, 0.5 | 1>([
  ['h', 0.5],
  ['w', 1],
]);

/** 'YYYY-MM-DD' ↔ 'YYYYMMDD' in button data. */
const packDate = (date: string) => date.replaceAll('-', '');
function unpackDate(packed: string | undefined): string | undefined {
  if (!packed || !/^\d{8}$/.test(packed)) return undefined;
  const date = `${packed.slice(0, 4)}-${packed.slice(4, 6)}-${packed.slice(6, 8)}`;
  return parseLocalDate(date) === date ? date : undefined;
}

async function teamName(ctx: BotContext, pair: Pair): Promise<string> {
  return (await pairLabels(ctx.deps.db, [pair])).get(pair.id)?.team ?? '?';
}

/** Edits the message the button was on; if that is not possible, says it in a new one. */
async function respond(ctx: BotContext, text: string, keyboard?: InlineKeyboard): Promise<void> {
  const extra = keyboard ? { reply_markup: keyboard } : {};
  if (ctx.callbackQuery?.message) {
    try {
      await ctx.editMessageText(text, extra);
      return;
    } catch {
      // Too old to edit, or unchanged: say it anew.
    }
  }
  await ctx.reply(text, extra);
}

const alert = (ctx: BotContext, key: string, params?: Record<string, unknown>) =>
  ctx.answerCallbackQuery({ text: ctx.t(key, params), show_alert: true });

/** Why a date cannot be logged for the pair, or undefined when it can. */
async function dateProblem(ctx: BotContext, pair: Pair, date: string): Promise<string | undefined> {
  const programme = await programmeOf(ctx.deps);
  const today = localToday(ctx.deps.clock.now(), programme.timeZone);
  if (date > today) return ctx.t('mentoring_log.future', { date: showDate(date) });
  const start = pairStart(pair, programme.timeZone);
  if (date < start) return ctx.t('mentoring_log.before_start', { team: await teamName(ctx, pair), start: showDate(start) });
  return undefined;
}

/** The mentor's own active pair, or undefined after telling them why not. */
async function ownActivePair(ctx: BotContext, pairId: string | undefined): Promise<Pair | undefined> {
  const pair = pairId && /^\d{1,9}$/.test(pairId) ? await findPair(ctx.deps.db, Number(pairId)) : null;
  if (!pair) {
    await alert(ctx, 'errors.stale_button');
    return undefined;
  }
  const programme = await programmeOf(ctx.deps);
  const mentor = await findMentor(ctx.deps.db, programme.id, ctx.person.id);
  if (!mentor || pair.mentorId !== mentor.id) {
    await alert(ctx, 'mentoring_log.not_your_pair');
    return undefined;
  }
  if (pair.status !== 'active') {
    await alert(ctx, 'mentoring_log.pair_ended');
    return undefined;
  }
  return pair;
}

type Step = { text: string; keyboard: InlineKeyboard };

async function dateStep(ctx: BotContext, pair: Pair): Promise<Step> {
  const programme = await programmeOf(ctx.deps);
  const today = localToday(ctx.deps.clock.now(), programme.timeZone);
  const yesterday = addDays(today, -1);
  const short = (date: string) => showDate(date).slice(0, 5);
  const keyboard = new InlineKeyboard().text(ctx.t('mentoring_log.today_button', { date: short(today) }), `lg|d|${pair.id}|${packDate(today)}`);
  if (yesterday >= pairStart(pair, programme.timeZone)) {
    keyboard.text(ctx.t('mentoring_log.yesterday_button', { date: short(yesterday) }), `lg|d|${pair.id}|${packDate(yesterday)}`);
  }
  return { text: ctx.t('mentoring_log.choose_date', { team: await teamName(ctx, pair), example: showDate(yesterday) }), keyboard };
}

async function amountStep(ctx: BotContext, pair: Pair, date: string): Promise<Step> {
  const d = packDate(date);
  const keyboard = new InlineKeyboard()
    .text(ctx.t('mentoring_log.half_button'), `lg|m|${pair.id}|${d}|h`)
    .text(ctx.t('mentoring_log.whole_button'), `lg|m|${pair.id}|${d}|w`);
  return { text: ctx.t('mentoring_log.choose_amount', { team: await teamName(ctx, pair), date: showDate(date) }), keyboard };
}

async function activityStep(ctx: BotContext, pair: Pair, date: string, amountCode: string): Promise<Step> {
  const keyboard = new InlineKeyboard();
  for (const [i, [code, activity]] of ACTIVITY_CODES.entries()) {
    keyboard.text(activityLabel(ctx.t, activity), `lg|s|${pair.id}|${packDate(date)}|${amountCode}|${code}`);
    if (i % 2 === 1) keyboard.row();
  }
  const amount = AMOUNTS.get(amountCode)!;
  const text = ctx.t('mentoring_log.choose_activity', { team: await teamName(ctx, pair), date: showDate(date), amount: amountLabel(ctx.t, amount) });
  return { text, keyboard };
}

async function pairStep(ctx: BotContext, pairs: Pair[], date: string | undefined): Promise<Step> {
  const labels = await pairLabels(ctx.deps.db, pairs);
  const keyboard = new InlineKeyboard();
  for (const pair of pairs) keyboard.text(labels.get(pair.id)?.team ?? `#${pair.id}`, `lg|p|${pair.id}|${date ? packDate(date) : '0'}`).row();
  return { text: ctx.t('mentoring_log.choose_pair'), keyboard };
}

/** Shows a step and notes it, so that a message typed instead of pressing a button gets the step again. */
async function show(ctx: BotContext, step: Step, noted: LogStep): Promise<void> {
  await noteLogStep(ctx.deps.db, ctx.person.id, noted, ctx.deps.clock.now());
  await respond(ctx, step.text, step.keyboard);
}

const askDate = async (ctx: BotContext, pair: Pair) => show(ctx, await dateStep(ctx, pair), { step: 'date', pairId: pair.id });
const askAmount = async (ctx: BotContext, pair: Pair, date: string) =>
  show(ctx, await amountStep(ctx, pair, date), { step: 'amount', pairId: pair.id, date });
const askActivity = async (ctx: BotContext, pair: Pair, date: string, amountCode: string) =>
  show(ctx, await activityStep(ctx, pair, date, amountCode), { step: 'activity', pairId: pair.id, date, amount: amountCode });

/** Days logged for the pair in the date's month, each date counting at most one day. */
async function monthSoFar(ctx: BotContext, pairId: number, date: string): Promise<number> {
  const month = date.slice(0, 7);
  const perDate = new Map<string, number>();
  for (const log of await listLogSummaries(ctx.deps.db, pairId)) {
    if (log.date.slice(0, 7) === month) perDate.set(log.date, (perDate.get(log.date) ?? 0) + log.amount);
  }
  return [...perDate.values()].reduce((sum, days) => sum + Math.min(1, days), 0);
}

async function save(ctx: BotContext, pair: Pair, date: string, amount: 0.5 | 1, activity: MentoringActivity): Promise<void> {
  const { deps, t, locale } = ctx;
  const now = deps.clock.now();
  const entry = { pairId: pair.id, mentorPersonId: ctx.person.id, date, amount, activity };
  if (await findJustLogged(deps.db, entry, new Date(now.getTime() - DOUBLE_TAP_MS))) return void (await alert(ctx, 'mentoring_log.already_saved'));
  const team = await teamName(ctx, pair);
  const logged = await daysLoggedOn(deps.db, pair.id, date);
  if (logged + amount > 1) {
    return void (await alert(ctx, 'mentoring_log.day_full', { date: showDate(date), logged: formatDays(logged, locale), team }));
  }
  const log = await createLog(deps.db, { ...entry, at: now });
  await ctx.answerCallbackQuery();
  await forgetLogStep(deps.db, ctx.person.id);
  const programme = await programmeOf(deps);
  const month = DateTime.fromISO(date, { zone: 'UTC' }).setLocale(locale).toFormat('LLLL yyyy');
  const lines = [
    t('mentoring_log.saved', { team, date: showDate(date), amount: amountLabel(t, amount), activity: activityLabel(t, activity) }),
    t('mentoring_log.month_so_far', {
      month: month.charAt(0).toLocaleUpperCase(locale) + month.slice(1),
      days: formatDays(await monthSoFar(ctx, pair.id, date), locale),
      target: formatDays(programme.targetDaysPerMonth, locale),
    }),
    '',
    t('mentoring_log.note_prompt'),
  ];
  const keyboard = new InlineKeyboard().text(t('mentoring_log.no_note_button'), `lg|n|${log.id}`).text(t('mentoring_log.undo_button'), `lg|x|${log.id}`);
  await respond(ctx, lines.join('\n'), keyboard);
}

mentoringLogFeature.command('log', async (ctx) => {
  const { deps, t } = ctx;
  const programme = await programmeOf(deps);
  const mentor = await findMentor(deps.db, programme.id, ctx.person.id);
  if (!mentor) return void (await ctx.reply(t('mentoring_log.not_mentor')));
  const pairs = await activePairsOfMentor(deps.db, mentor.id);
  if (pairs.length === 0) return void (await ctx.reply(t('mentoring_log.no_pairs')));

  const argument = ctx.match.trim();
  let date: string | undefined;
  if (argument !== '') {
    date = parseLocalDate(argument);
    if (!date) return void (await ctx.reply(t('mentoring_log.bad_date', { value: argument })));
    if (date > localToday(deps.clock.now(), programme.timeZone)) return void (await ctx.reply(t('mentoring_log.future', { date: showDate(date) })));
  }

  if (pairs.length > 1) return show(ctx, await pairStep(ctx, pairs, date), { step: 'pair', ...(date ? { date } : {}) });
  const pair = pairs[0]!;
  if (!date) return askDate(ctx, pair);
  const problem = await dateProblem(ctx, pair, date);
  if (problem) return void (await ctx.reply(problem));
  await askAmount(ctx, pair, date);
});

mentoringLogFeature.callbackQuery(/^lg\|[pdms]\|/, async (ctx) => {
  const [, step, pairId, packed, amountCode, activityCode, extra] = ctx.callbackQuery.data.split('|');
  const shapeOk =
    extra === undefined &&
    ((step === 'p' && amountCode === undefined && (packed === '0' || unpackDate(packed))) ||
      (step === 'd' && amountCode === undefined && unpackDate(packed)) ||
      (step === 'm' && activityCode === undefined && unpackDate(packed) && AMOUNTS.has(amountCode ?? '')) ||
      (step === 's' && unpackDate(packed) && AMOUNTS.has(amountCode ?? '') && ACTIVITY_BY_CODE.has(activityCode ?? '')));
  if (!shapeOk) return void (await alert(ctx, 'errors.stale_button'));
  const pair = await ownActivePair(ctx, pairId);
  if (!pair) return;
  const date = unpackDate(packed);
  if (step === 'p' && !date) {
    await ctx.answerCallbackQuery();
    return askDate(ctx, pair);
  }
  const problem = await dateProblem(ctx, pair, date!);
  if (problem) return void (await ctx.answerCallbackQuery({ text: problem, show_alert: true }));
  if (step === 'p' || step === 'd') {
    await ctx.answerCallbackQuery();
    return askAmount(ctx, pair, date!);
  }
  if (step === 'm') {
    await ctx.answerCallbackQuery();
    return askActivity(ctx, pair, date!, amountCode!);
  }
  await save(ctx, pair, date!, AMOUNTS.get(amountCode!)!, ACTIVITY_BY_CODE.get(activityCode!)!);
});

/** "No note" and "Undo" under a saved entry. */
mentoringLogFeature.callbackQuery(/^lg\|[nx]\|/, async (ctx) => {
  const { deps, t } = ctx;
  const [, action, id = '', extra] = ctx.callbackQuery.data.split('|');
  if (!/^\d{1,9}$/.test(id) || extra !== undefined) return void (await alert(ctx, 'errors.stale_button'));
  const log = await findOwnLog(deps.db, Number(id), ctx.person.id);
  if (!log) return void (await alert(ctx, 'mentoring_log.not_found'));
  if (action === 'n') {
    if (log.hasNote || !(await setNote(deps.db, log.id, ctx.person.id, ''))) return void (await alert(ctx, 'mentoring_log.note_already'));
    await ctx.answerCallbackQuery();
    try {
      await ctx.editMessageReplyMarkup({ reply_markup: undefined });
    } catch {
      // The message may be gone; the answer below says it.
    }
    return void (await ctx.reply(t('mentoring_log.no_note_done')));
  }
  if (!(await deleteOwnLog(deps.db, log.id, ctx.person.id))) return void (await alert(ctx, 'mentoring_log.not_found'));
  await ctx.answerCallbackQuery();
  await respond(ctx, t('mentoring_log.undone', { date: showDate(log.date), amount: amountLabel(t, log.amount), activity: activityLabel(t, log.activity) }));
});

mentoringLogFeature.callbackQuery(/^lg\|/, (ctx) => alert(ctx, 'errors.stale_button'));

/** Right after saving an entry, the mentor's next message (not a command) is its private note. */
mentoringLogFeature.on('message:text').use(async (ctx, next) => {
  const text = ctx.message.text.trim();
  if (text.startsWith('/')) {
    // Another command: the person has moved on from a step of /log they left.
    if (!/^\/log(@\w+)?(\s|$)/i.test(text)) await forgetLogStep(ctx.deps.db, ctx.person.id);
    return next();
  }
  const { deps, t } = ctx;
  const log = await logAwaitingNote(deps.db, ctx.person.id, new Date(deps.clock.now().getTime() - NOTE_WINDOW_MS));
  if (!log) return next();
  if (text.length > MAX_NOTE_LENGTH) return void (await ctx.reply(t('mentoring_log.note_too_long', { length: text.length, max: MAX_NOTE_LENGTH })));
  if (!(await setNote(deps.db, log.id, ctx.person.id, text))) return next();
  const pair = await findPair(deps.db, log.pairId);
  await ctx.reply(t('mentoring_log.note_saved', { team: pair ? await teamName(ctx, pair) : '' }));
});

/**
 * A message typed (or a sticker, a photo) where a step of /log waits for a button: say which
 * buttons there are and show the step again. A date typed at the date step is taken as the date.
 */
mentoringLogFeature
  .on('message')
  .filter((ctx) => !ctx.message.text?.startsWith('/'))
  .use(async (ctx, next) => {
    if (Object.keys(ctx.conversation.active()).length > 0) return next();
    const { deps, t } = ctx;
    const noted = await currentLogStep(deps.db, ctx.person.id, new Date(deps.clock.now().getTime() - NOTE_WINDOW_MS));
    if (!noted) return next();
    const programme = await programmeOf(deps);
    const mentor = await findMentor(deps.db, programme.id, ctx.person.id);
    const pairs = mentor ? await activePairsOfMentor(deps.db, mentor.id) : [];
    const pair = noted.step === 'pair' ? undefined : pairs.find((p) => p.id === noted.pairId);
    if (pairs.length === 0 || (noted.step !== 'pair' && !pair)) {
      await forgetLogStep(deps.db, ctx.person.id);
      return next();
    }
    const typed = ctx.message.text?.trim();
    if (noted.step === 'date' && typed) {
      const date = parseLocalDate(typed);
      if (date) {
        const problem = await dateProblem(ctx, pair!, date);
        if (problem) return void (await ctx.reply(problem));
        return askAmount(ctx, pair!, date);
      }
    }
    const step =
      noted.step === 'pair'
        ? await pairStep(ctx, pairs, noted.date)
        : noted.step === 'date'
          ? await dateStep(ctx, pair!)
          : noted.step === 'amount'
            ? await amountStep(ctx, pair!, noted.date)
            : await activityStep(ctx, pair!, noted.date, noted.amount);
    const example = showDate(addDays(localToday(deps.clock.now(), programme.timeZone), -1));
    const hint = noted.step === 'date' ? 'mentoring_log.press_button_or_date' : 'mentoring_log.press_button';
    await ctx.reply(t(hint, { buttons: buttonChoices(step.keyboard, ctx.locale), example }));
    await ctx.reply(step.text, { reply_markup: step.keyboard });
  });
