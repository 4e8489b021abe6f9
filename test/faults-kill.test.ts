import path from 'node:path';
import type { Message, Update } from 'grammy/types';
import { describe, expect, it, onTestFinished } from 'vitest';
import { findQuestion } from '../src/forms/engine/navigation.js';
import { validateInput } from '../src/forms/engine/validation.js';
import { mentorApplicationForm } from '../src/forms/mentor-application.js';
import { createI18n } from '../src/i18n.js';
import { COORDINATOR_ID } from './support/application.js';
import { type BotChild, deliveredText, Prng, RecordingBotApi, sleep, spawnBotChild, storedAnswers } from './support/faults.js';
import { type Replies, TelegramUser } from './support/telegram-user.js';
import { tempDir } from './support/test-bot.js';

/**
 * The bot process is killed (SIGKILL: no shutdown, no last write) at random points of
 * a mentor's application, twenty times, and started again on the same SQLite file each
 * time. The mentor behaves as a person would: they answer whatever question the bot
 * shows last, and send /apply when they cannot tell where they are.
 */

const ROUNDS = 20;
const SEED = 20251123;
const MENTOR_ID = 4101;

const REVIEW_TITLE = 'Your application — please check it before submitting';
const CHOOSE_ONE = 'Choose at least one option, then press Done.';
const EARLIER_QUESTION = 'This button belongs to an earlier question. Please answer the current one.';
const GENERIC_ERROR = 'Sorry, something went wrong';

/** How the mentor answers each question. */
type Plan =
  | { kind: 'text'; text: string }
  | { kind: 'skip' }
  | { kind: 'choose'; argument: string; stored: unknown }
  | { kind: 'agree' }
  | { kind: 'toggle'; index: number; stored: unknown }
  | { kind: 'gather'; text: string };

const plans: Record<string, Plan> = {
  full_name: { kind: 'text', text: 'Ilona Kruk' },
  email: { kind: 'text', text: 'ilona.kruk@example.org' },
  phone: { kind: 'skip' },
  country: { kind: 'text', text: 'Ukraine' },
  city: { kind: 'text', text: 'Lviv' },
  organisation: { kind: 'text', text: 'City council of Lviv' },
  position: { kind: 'text', text: 'Head of international relations' },
  expertise_areas: { kind: 'toggle', index: 1, stored: { choices: ['municipal_partnerships'] } },
  experience_years: { kind: 'text', text: '12' },
  experience_description: { kind: 'gather', text: 'Twelve years of twinning projects with Polish cities.' },
  context_knowledge: { kind: 'choose', argument: '4', stored: 4 },
  context_comment: { kind: 'text', text: 'I worked with municipalities in Kharkiv oblast.' },
  cv: { kind: 'text', text: 'https://example.org/ilona-kruk-cv.pdf' },
  working_languages: { kind: 'toggle', index: 2, stored: { choices: ['pl'] } },
  english_level: { kind: 'choose', argument: '4', stored: 'C1' },
  ready_six_months: { kind: 'choose', argument: '0', stored: true },
  ready_to_travel: { kind: 'choose', argument: '0', stored: true },
  ready_for_meetings: { kind: 'choose', argument: '0', stored: true },
  preferences: { kind: 'skip' },
  motivation: { kind: 'gather', text: 'I want to help communities build lasting partnerships.' },
  heard_from: { kind: 'choose', argument: '2', stored: 'colleague' },
  consent: { kind: 'agree' },
};

/** What the bot stores for a plan: computed with the form's own validation where the answer is typed. */
function storedValue(questionId: string, plan: Plan): unknown {
  switch (plan.kind) {
    case 'text':
    case 'gather': {
      const checked = validateInput(findQuestion(mentorApplicationForm, questionId)!.question, { kind: 'text', text: plan.text });
      if ('error' in checked) throw new Error(`The plan's answer to ${questionId} is not valid: ${checked.error}`);
      return checked.value;
    }
    case 'skip':
      return null;
    case 'agree':
      return true;
    default:
      return plan.stored;
  }
}

/** Questions whose answers the mentor changes from the review once the form is complete. */
const CHANGEABLE = ['country', 'city', 'organisation', 'position', 'full_name'];

type Situation =
  | { kind: 'question'; id: string; message: Message }
  | { kind: 'stored'; id: string }
  | { kind: 'review' }
  | { kind: 'unknown'; text: string };

class Killed extends Error {}

interface Harness {
  api: RecordingBotApi;
  databaseUrl: string;
  /** Every bot process started, the running one last. */
  processes: BotChild[];
  readonly bot: BotChild | undefined;
  mentor: TelegramUser;
  coordinator: TelegramUser;
  /** Starts the bot and waits until it has handled whatever Telegram still had for it. */
  start(): Promise<void>;
}

/** A fake Telegram, a SQLite file in a temporary folder, and the bot started on them as `npm start` would. */
async function startHarness(): Promise<Harness> {
  const api = await new RecordingBotApi().start();
  onTestFinished(() => api.close());
  const dir = tempDir();
  const databaseUrl = `file:${path.join(dir, 'citymentor.db')}`;
  const env = {
    BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: api.apiRoot,
    DATABASE_URL: databaseUrl,
    ADMIN_IDS: String(COORDINATOR_ID),
    LOG_LEVEL: 'debug',
    RATE_LIMIT_PER_MINUTE: '10000',
  };
  let bot: BotChild | undefined;
  const handled = (updateId: number) => bot!.handled(updateId);
  const harness: Harness = {
    api,
    databaseUrl,
    processes: [],
    get bot() {
      return bot;
    },
    mentor: new TelegramUser(api, { id: MENTOR_ID, first_name: 'Ilona', language_code: 'en' }, handled),
    coordinator: new TelegramUser(api, { id: COORDINATOR_ID, first_name: 'Iryna', language_code: 'en' }, handled),
    async start() {
      const mark = api.calls.length;
      const started = spawnBotChild(env, dir);
      bot = started;
      harness.processes.push(started);
      const poll = await api.waitFor(() => api.calls.slice(mark).find((c) => c.method === 'getUpdates'), 30_000).catch((error) => {
        throw new Error(`The bot did not start: ${String(error)}\n${started.stderr()}\n${started.stdout().slice(-3000)}`);
      });
      // Updates the dead process had fetched but not confirmed come again; wait until they are dealt with.
      for (const update of (poll.result as Update[] | undefined) ?? []) await started.handled(update.update_id);
      await api.settle(50);
    },
  };
  await harness.start();
  return harness;
}

/** The bot runs on the real clock here: a deadline far ahead keeps the call open. */
async function openCallForAges(coordinator: TelegramUser): Promise<void> {
  await coordinator.send('/start');
  await coordinator.send('/call deadline 31.12.2099 23:59');
  await coordinator.send('/call open');
}

describe('the bot killed at random points of an application', () => {
  it('loses no acknowledged answer and lets the mentor continue, twenty kills in a row', { timeout: 240_000 }, async () => {
    const rng = new Prng(SEED);
    const t = (await createI18n('en')).t('en');
    const questionTexts = mentorApplicationForm.sections
      .flatMap((s) => s.questions)
      .map((q) => ({ id: q.id, text: t(`forms.application.questions.${q.id}.text`) }));

    const harness = await startHarness();
    const { api, databaseUrl, processes, mentor, coordinator } = harness;
    const bot = () => harness.bot!;

    // What the mentor meant to answer, what they sent but were not yet told was taken,
    // and what the bot acknowledged by moving on to another question or to the review.
    const planned = new Map(Object.entries(plans).map(([id, plan]) => [id, storedValue(id, plan)]));
    const pending = new Map<string, unknown>();
    const acknowledged = new Map<string, unknown>();
    let seen = 0;

    /** What a message of the bot shows: a question of the form, the review, or something else. */
    const classify = (text: string): { kind: 'question'; id: string } | { kind: 'review' } | undefined => {
      if (text.startsWith(REVIEW_TITLE)) return { kind: 'review' };
      if (!/· question \d+ of \d+/.test(text)) return undefined;
      const lines = text.split('\n');
      const found = questionTexts.filter((q) => lines.some((l) => l.startsWith(q.text))).sort((a, b) => b.text.length - a.text.length)[0];
      return found ? { kind: 'question', id: found.id } : undefined;
    };

    /** Reads what the bot sent the mentor since last time: a new question or the review acknowledges earlier answers. */
    const observe = () => {
      for (const call of api.calls.slice(seen)) {
        if (call.method !== 'sendMessage' || call.error || Number(call.payload.chat_id) !== MENTOR_ID) continue;
        const shown = classify((call.result as Message & { text: string }).text);
        if (!shown) continue;
        for (const [id, value] of [...pending]) {
          if (shown.kind === 'review' || (shown.kind === 'question' && shown.id !== id)) {
            acknowledged.set(id, value);
            pending.delete(id);
          }
        }
      }
      seen = api.calls.length;
    };
    const submit = (id: string, value: unknown) => {
      observe();
      pending.set(id, value);
    };

    /** Every acknowledged answer is stored (or the newer one the mentor has sent since). */
    const checkNothingLost = async (when: string) => {
      observe();
      const stored = await storedAnswers(databaseUrl);
      for (const [id, value] of acknowledged) {
        if (pending.has(id) && JSON.stringify(stored[id]) === JSON.stringify(pending.get(id))) continue;
        expect(stored[id], `${when}: the acknowledged answer to ${id}`).toEqual(value);
      }
    };

    /** Where the mentor is, judged from the last message the bot sent them. */
    const situation = (): Situation => {
      const messages = mentor.botMessages();
      const last = messages.at(-1) as (Message & { text?: string }) | undefined;
      const text = last?.text ?? '';
      const shown = classify(text);
      if (shown?.kind === 'question') return { ...shown, message: last! };
      if (shown) return shown;
      if (text.startsWith('Stored:')) {
        const question = messages.map((m) => classify((m as { text?: string }).text ?? '')).findLast((s) => s?.kind === 'question');
        if (question?.kind === 'question') return { kind: 'stored', id: question.id };
      }
      return { kind: 'unknown', text };
    };

    // ---- The person's actions; `act` sends one update, and may be where the bot dies. ----
    let killAt = -1;
    let actions = 0;
    let killMode: 'delay' | 'on-answer' = 'delay';
    let inFlight: Promise<unknown> | undefined;
    let killedUpdateId: number | undefined;
    const killsMidUpdate: number[] = [];

    const act = async (send: () => Promise<Replies>): Promise<Replies> => {
      if (actions++ !== killAt) return send();
      const since = api.lastSeq;
      const before = api.calls.length;
      inFlight = send().catch(() => undefined);
      killedUpdateId = api.lastPushed!.update_id;
      if (killMode === 'delay') await sleep(rng.int(40));
      else {
        // The moment Telegram has the bot's answer, before the bot can note anything more.
        await api
          .waitFor(() => api.calls.slice(before).some((c) => c.seq > since && (Number(c.payload.chat_id) === MENTOR_ID || c.method === 'answerCallbackQuery')), 10_000)
          .catch(() => undefined);
      }
      bot().kill('SIGKILL');
      throw new Killed();
    };

    const press = (data: string) => act(() => mentor.pressCallback(data));
    const type = (text: string) => act(() => mentor.send(text));

    /** New answers the mentor means to give from the review, by question. */
    const changes = new Map<string, unknown>();
    const answer = async (id: string, where: Situation): Promise<Replies> => {
      const plan = plans[id]!;
      const value = changes.get(id) ?? planned.get(id);
      planned.set(id, value);
      switch (plan.kind) {
        case 'text': {
          const text = typeof value === 'object' && value !== null ? plan.text : String(value);
          submit(id, value);
          return type(text);
        }
        case 'skip':
          submit(id, null);
          return press(`f|k|${id}|`);
        case 'choose':
          submit(id, value);
          return press(`f|c|${id}|${plan.argument}`);
        case 'agree':
          submit(id, true);
          return press(`f|a|${id}|`);
        case 'toggle': {
          const message = where.kind === 'question' ? where.message : undefined;
          const button = (message?.reply_markup?.inline_keyboard ?? []).flat().find((b) => 'callback_data' in b && b.callback_data === `f|t|${id}|${plan.index}`);
          if (!button?.text.startsWith('✓ ')) await press(`f|t|${id}|${plan.index}`);
          submit(id, value);
          const done = await press(`f|d|${id}|`);
          if (done.callbackAnswer !== CHOOSE_ONE) return done;
          // The mark was shown but the bot's selection died with it: choose again.
          await press(`f|t|${id}|${plan.index}`);
          return press(`f|d|${id}|`);
        }
        case 'gather': {
          if (where.kind === 'question') await type(plan.text);
          submit(id, value);
          const done = await press(`f|d|${id}|`);
          if (done.callbackAnswer !== EARLIER_QUESTION) return done;
          // The stored part was shown but the bot's memory of it died: send it again.
          await type(plan.text);
          return press(`f|d|${id}|`);
        }
      }
    };

    let round = 0;
    /** One step of the mentor; returns what the bot answered to the last update of it. */
    const step = async (): Promise<{ where: Situation; replies: Replies }> => {
      const where = situation();
      if (where.kind === 'question' || where.kind === 'stored') return { where, replies: await answer(where.id, where) };
      if (where.kind === 'review') {
        const id = rng.pick(CHANGEABLE);
        const plan = plans[id] as { kind: 'text'; text: string };
        changes.set(id, `${plan.text} ${round}`);
        return { where, replies: await press(`f|x|${id}|`) };
      }
      return { where, replies: await type('/apply') };
    };

    /** What the mentor sees after a step that the bot finished: never an apology, always somewhere to go on. */
    const expectToContinue = async (where: Situation, replies: Replies) => {
      expect(replies.text, 'no apology').not.toContain(GENERIC_ERROR);
      const next = situation();
      if (where.kind === 'question' || where.kind === 'stored') {
        // Accepted for the right question (the bot moved on and stored it), or the same question asked again.
        if (next.kind === 'question' && next.id === where.id) {
          expect(replies.callbackAnswer, `the bot refused the button of the question it shows (${where.id})`).not.toBe(EARLIER_QUESTION);
          return;
        }
        expect(['question', 'review', 'stored'], `after answering ${where.id} the mentor sees: ${JSON.stringify(next)}`).toContain(next.kind);
        const stored = await storedAnswers(databaseUrl);
        expect(stored[where.id], `the answer to ${where.id}`).toEqual(planned.get(where.id));
      } else {
        expect(['question', 'review'], `after ${where.kind} the mentor sees: ${JSON.stringify(next)}`).toContain(next.kind);
      }
    };

    const start = async () => {
      const began = Date.now();
      await harness.start();
      if (process.env.FAULTS_DEBUG) console.log(`round ${round}: started in ${Date.now() - began} ms`);
    };

    for (round = 0; round < ROUNDS; round++) {
      const roundBegan = Date.now();
      if (round > 0) await start();
      await checkNothingLost(`round ${round}, after the restart`);
      if (round === 0) {
        await openCallForAges(coordinator);
        expect((await mentor.send('/apply')).text).toContain('question 1 of');
      }
      actions = 0;
      const steps = rng.int(3);
      killMode = rng.chance(0.5) ? 'delay' : 'on-answer';
      killAt = Number.POSITIVE_INFINITY;
      try {
        for (let i = 0; i < steps; i++) {
          const { where, replies } = await step();
          await expectToContinue(where, replies);
          await checkNothingLost(`round ${round}, step ${i}`);
        }
        // The step during which the bot dies: mostly at its first update, sometimes at the next one or just after it.
        killAt = actions + (rng.chance(0.75) ? 0 : 1);
        await step();
        killedUpdateId = undefined;
        bot().kill('SIGKILL');
        throw new Killed();
      } catch (error) {
        if (!(error instanceof Killed)) throw error;
      }
      const dead = bot();
      await dead.exited;
      await inFlight;
      inFlight = undefined;
      if (killedUpdateId !== undefined && !dead.hasHandled(killedUpdateId)) killsMidUpdate.push(round);
      const roundTook = Date.now() - roundBegan;
      if (process.env.FAULTS_DEBUG) console.log(`round ${round} (${roundTook} ms): ${killMode} kill at update ${killedUpdateId} (${killedUpdateId === undefined ? 'between updates' : dead.hasHandled(killedUpdateId) ? 'after it' : 'mid-update'}), the mentor sees ${JSON.stringify(situation()).slice(0, 120)}`);
      await checkNothingLost(`round ${round}, after the kill`);
    }

    // The last start: the mentor finishes, checks the review and submits.
    await start();
    await checkNothingLost('after the last restart');
    killAt = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 60 && situation().kind !== 'review'; i++) {
      const { where, replies } = await step();
      await expectToContinue(where, replies);
    }
    const review = await mentor.send('/apply');
    expect(review.text).toContain(REVIEW_TITLE);
    expect(await storedAnswers(databaseUrl)).toEqual(Object.fromEntries(planned));
    for (const id of CHANGEABLE) expect(review.text).toContain(String(planned.get(id)));
    expect(review.text).toContain('Twelve years of twinning projects with Polish cities.');
    expect(review.text).toContain('I want to help communities build lasting partnerships.');
    const submitted = await mentor.pressCallback('f|s|review|');
    expect(submitted.text).toContain('Your application has been received');

    // Many kills fell while the bot was in the middle of an update.
    expect(killsMidUpdate.length).toBeGreaterThanOrEqual(ROUNDS / 4);
    const everything = processes.map((p) => p.stdout() + p.stderr()).join('\n');
    expect(everything).not.toContain('"msg":"update failed"');
    expect(api.callsOf('sendMessage').filter((c) => String(c.payload.text).includes(GENERIC_ERROR))).toEqual([]);
  });

  /**
   * The bot sends the next question, Telegram delivers it, and the bot dies before it
   * has noted that it moved on: the next answer belongs to the question the mentor sees.
   */
  async function killWhenAsked(harness: Harness, action: () => Promise<unknown>): Promise<string> {
    const { api } = harness;
    const since = api.lastSeq;
    const acting = action().catch(() => undefined);
    const asked = await api.waitFor(() =>
      api.calls.find((c) => c.seq > since && c.method === 'sendMessage' && !c.error && Number(c.payload.chat_id) === MENTOR_ID),
    );
    harness.bot!.kill('SIGKILL');
    await harness.bot!.exited;
    await acting;
    return deliveredText(asked);
  }

  // The conversation's state is written only after the update is handled, so a crash
  // between "next question sent" and that write leaves a state one step behind.
  it('takes the next typed answer for the question the mentor was shown just before the bot died', { timeout: 60_000 }, async () => {
    const harness = await startHarness();
    const { mentor, coordinator, databaseUrl } = harness;
    await openCallForAges(coordinator);
    await mentor.send('/apply');
    await mentor.send('Ilona Kruk');
    await mentor.send('ilona.kruk@example.org');
    await mentor.pressCallback('f|k|phone|');

    expect(await killWhenAsked(harness, () => mentor.send('Ukraine'))).toContain('And which city or municipality?');
    expect((await storedAnswers(databaseUrl)).country).toBe('Ukraine');

    await harness.start();
    const next = await mentor.send('Lviv');
    expect(next.text).toContain('Which organisation do you work for?');
    expect(await storedAnswers(databaseUrl)).toMatchObject({ country: 'Ukraine', city: 'Lviv' });
  });

  it('takes a button of the question the mentor was shown just before the bot died', { timeout: 60_000 }, async () => {
    const harness = await startHarness();
    const { mentor, coordinator, databaseUrl } = harness;
    await openCallForAges(coordinator);
    await mentor.send('/apply');
    for (const text of ['Ilona Kruk', 'ilona.kruk@example.org']) await mentor.send(text);
    await mentor.pressCallback('f|k|phone|');
    for (const text of ['Ukraine', 'Lviv', 'City council', 'Head of international relations']) await mentor.send(text);
    await mentor.pressCallback('f|t|expertise_areas|1');
    await mentor.pressCallback('f|d|expertise_areas|');
    await mentor.send('12');
    await mentor.send('Twelve years of twinning projects.');
    await mentor.pressCallback('f|d|experience_description|');

    expect(await killWhenAsked(harness, () => mentor.pressCallback('f|c|context_knowledge|4'))).toContain('Would you like to add anything?');
    expect((await storedAnswers(databaseUrl)).context_knowledge).toBe(4);

    await harness.start();
    const skipped = await mentor.pressCallback('f|k|context_comment|');
    expect(skipped.callbackAnswer).not.toBe(EARLIER_QUESTION);
    expect(skipped.text).toContain('Please send your CV.');
    expect(await storedAnswers(databaseUrl)).toMatchObject({ context_knowledge: 4, context_comment: null });
  });
});
