import type { Message, Update } from 'grammy/types';
import { describe, expect, it, onTestFinished } from 'vitest';
import { COORDINATOR_COMMANDS, MEMBER_COMMANDS } from '../src/commands.js';
import type { Database } from '../src/db/database.js';
import { createI18n } from '../src/i18n.js';
import { LOCALES } from '../src/locales.js';
import { COORDINATOR_ID, openCall } from './support/application.js';
import type { ApiCall } from './support/fake-bot-api.js';
import { Prng, RecordingBotApi } from './support/faults.js';
import { startTestBot, type TestBot, TestClock } from './support/test-bot.js';

/**
 * A stream of malformed and hostile updates, made up by a seeded generator: odd texts
 * and commands, forged and replayed buttons of every feature, edits, groups, channels,
 * files of any kind, and update kinds the bot never asked for. The bot must keep
 * running, answer people in private chats sensibly, and stay silent in groups.
 */

const SEED = Number(process.env.FAULTS_SEED ?? 4242);
const UPDATES = 450;

const PEOPLE = [6001, 6002, 6003, 6004, COORDINATOR_ID];
const GROUP_ID = -100_123_456_789;
const OTHER_GROUP_ID = -4_001;
const CHANNEL_ID = -100_987_654_321;

/** Button data as the features build it (see `callbackQuery(` in src/features); `#` stands for a number. */
const CALLBACK_TEMPLATES = [
  'f|c|#|#', 'f|t|#|#', 'f|d|#|', 'f|k|#|', 'f|b|#|', 'f|a|#|', 'f|r|#|', 'f|x|#|', 'f|s|review|', 'f|m|review|', 'f|zz|#|',
  'app|edit', 'app|withdraw', 'app|withdraw_yes', 'app|withdraw_no',
  'ap|add|#', 'ap|cx|#', 'ap|dl|#', 'ap|dly|#', 'ap|ef|#|#', 'ap|o|#', 'ap|r|#', 'ap|sk|#|#', 'ap|st|#|p', 'ap|st|#|x', 'ap|sv|#', 'ap|v|#', 'ap|x|#', 'ap|xv|#',
  'au|#', 'bc|a|everyone', 'bc|a|nobody', 'bc|ok|#', 'bc|no|#',
  'call|open', 'call|close', 'call|#',
  'ev|all', 'ev|x', 'ev|aud|#|everyone', 'ev|aud|#|#', 'ev|drop|#', 'ev|list|#', 'ev|reg|#', 'ev|cancel|#', 'ev|open|#',
  'gp|list', 'gp|add', 'gp|v|#', 'gp|e|#', 'gp|d|#',
  'language:en', 'language:uk', 'language:xx', 'language:', 'language:#',
  'lg|d|#|#', 'lg|m|#|#|h', 'lg|m|#|#|w', 'lg|n|#', 'lg|p|#|#', 'lg|s|#|#|#|#', 'lg|x|#',
  'ma|all', 'ma|rc', 'ma|w', 'ma|x', 'ma|pin|#|#', 'ma|fb|#|#', 'ma|up|#|#', 'ma|pc|#|#', 'ma|p|#|#', 'ma|t|#', 'ma|pub|0123456789abcdef', 'ma|pub|#',
  'na|s|main', 'na|s|#', 'na|review', 'na|view', 'na|reopen',
  'pg|a|#', 'pg|p|#',
  'pr|h', 'pr|x', 'pr|e|#', 'pr|eo|#', 'pr|er|#|#', 'pr|o|#', 'pr|r|#', 'pr|rm|#|#', 'pr|ro|#|#', 'pr|rr|#|#|#',
  'pv|forget', 'pv|keep',
  'rp|c|2026-01', 'rp|m|2026-13', 'rp|c|#', 'rp|m|#',
  'rv|p', 'rv|b|#|#|#|#', 'rv|cap|#|up', 'rv|cap|#|down', 'rv|d|s|#', 'rv|d|y|#', 'rv|d|r|#', 'rv|e|#', 'rv|l|#', 'rv|send|#', 'rv|s|#|#|#', 'rv|text|#', 'rv|undo|#',
  'sh|list', 'sh|add', 'sh|team', 'sh|del|#',
  'tj|no', 'tj|#',
  'tm|reissue|#', 'tm|revoke|#', 'tm|needs|#', 'tm|reopen|#',
  'vs|done|#|#', 'vs|plan|#|#',
];

const TEXTS = [
  '', ' ', '\n\n', 'hello', 'Ukraine', '12', '-1', '1e309', 'NaN', '0', '99999999999999999999999',
  '<b>bold</b> & <i>', '</b>', '&amp;&lt;', '<script>alert(1)</script>', '\u0000\u0001\u0002', '\u202Eevil', '\u200B', '👩‍👩‍👧‍👦🇺🇦',
  'SELECT * FROM Person; --', "'; DROP TABLE Person; --", '${process.exit()}', '{{t}}', '%s%s%n', 'https://example.org/cv.pdf', 'javascript:alert(1)',
  'name@example.org', '+380 67 123 4567', '31.12.2099 23:59', '29.02.2025', '/', '//', '/ help', '@citymentor_test_bot',
];

const COMMANDS = [...MEMBER_COMMANDS, ...COORDINATOR_COMMANDS, 'visit', 'unknown', 'x', 'application_1', 'application_999999999', 'application_0', 'team_1', 'team_999999999', 'pair_1', 'pair_0'];

const ODD_DOCUMENTS = [
  { file_name: 'cv.pdf', mime_type: 'application/pdf', file_size: 120_000 },
  { file_name: 'cv.exe', mime_type: 'application/x-msdownload', file_size: 1 },
  { file_name: '', mime_type: '', file_size: 0 },
  { file_name: '../../etc/passwd', mime_type: 'text/plain', file_size: 10 },
  { file_name: 'x'.repeat(300), mime_type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', file_size: 2 ** 53 },
  { file_name: 'cv.pdf', mime_type: 'application/pdf; charset=<b>', file_size: -5 },
  { file_name: 'cv.pdf' },
  {},
];

interface Sent {
  update: Update;
  updateId: number;
  /** What the bot did for it. */
  calls: ApiCall[];
  /** A person writing in a private chat, who should get an answer. */
  expectsAnswer: boolean;
  /** A chat the bot must stay silent in. */
  silentChat?: number;
}

class HostileStream {
  private nextMessageId = 1;
  private nextCallbackId = 1;

  /** @param lastBotMessage the newest message the bot sent to a chat, which a pressed button is on */
  constructor(
    private readonly rng: Prng,
    private readonly lastBotMessage: (chatId: number) => Message | undefined,
  ) {}

  private number(): string {
    return this.rng.pick(['1', '2', '3', '0', '-1', '999999999', '9999999999999', '1.5', 'abc', '', 'Ω', '1e3', '0x10', String(this.rng.int(20))]);
  }

  private text(): string {
    const rng = this.rng;
    switch (rng.int(6)) {
      case 0:
        return 'x'.repeat(4096);
      case 1:
        return rng.string(rng.between(1, 4096), 'abc <>&"\'\n😀їґ');
      default:
        return rng.pick(TEXTS);
    }
  }

  private callbackData(): string {
    const rng = this.rng;
    const template = rng.pick(CALLBACK_TEMPLATES);
    let data = template.replace(/#/g, () => this.number());
    if (rng.chance(0.1)) data += `|${this.number()}`;
    if (rng.chance(0.05)) data = `${data}${'9'.repeat(70)}`;
    return data;
  }

  private person(id = this.rng.pick(PEOPLE)) {
    return { id, is_bot: false, first_name: this.rng.chance(0.1) ? '<b>Evil</b> & Co' : `Person ${id}`, language_code: this.rng.pick(['en', 'uk', 'pl', 'lv', 'ru', 'de', 'xx', '']) };
  }

  private chat(kind: 'private' | 'group' | 'supergroup' | 'channel', id: number) {
    if (kind === 'private') return { id, type: 'private', first_name: `Person ${id}` };
    if (kind === 'channel') return { id, type: 'channel', title: 'A channel' };
    return { id, type: kind, title: 'A group' };
  }

  private content(): Record<string, unknown> {
    const rng = this.rng;
    switch (rng.int(14)) {
      case 0:
      case 1:
      case 2: {
        const text = this.text();
        return { text };
      }
      case 3:
      case 4:
      case 5: {
        const name = rng.pick(COMMANDS);
        const suffix = rng.pick(['', '', '@citymentor_test_bot', '@other_bot']);
        const argument = rng.pick(['', '', ` ${this.text()}`, ` ${rng.string(4000)}`, ' open', ' deadline 99.99.9999 99:99', ' apply', ` team_${rng.string(10)}`, ' 123456789', ' -5']);
        const head = `/${rng.chance(0.1) ? name.toUpperCase() : name}${suffix}`;
        const text = `${head}${argument}`.slice(0, 4096);
        return { text, entities: [{ type: 'bot_command', offset: 0, length: rng.chance(0.1) ? 200 : head.length }] };
      }
      case 6:
        return { sticker: { file_id: 's1', file_unique_id: 'su1', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false } };
      case 7:
        return { photo: [{ file_id: 'p1', file_unique_id: 'pu1', width: 1, height: 1 }], ...(rng.chance(0.5) ? { caption: this.text().slice(0, 1024) } : {}) };
      case 8:
        return { document: { file_id: `d${rng.int(1000)}`, file_unique_id: 'du', ...rng.pick(ODD_DOCUMENTS) } };
      case 9:
        return rng.pick([
          { voice: { file_id: 'v', file_unique_id: 'vu', duration: 3 } },
          { location: { latitude: 50.45, longitude: 30.52 } },
          { contact: { phone_number: '+380000000000', first_name: 'Someone', user_id: 1 } },
          { dice: { emoji: '🎲', value: 6 } },
          { poll: { id: 'poll', question: 'Q?', options: [], total_voter_count: 0, is_closed: false, is_anonymous: true, type: 'regular', allows_multiple_answers: false } },
          { video_note: { file_id: 'vn', file_unique_id: 'vnu', length: 1, duration: 1 } },
          { new_chat_members: [this.person()] },
          { pinned_message: { message_id: 1, date: 0, chat: this.chat('private', 1) } },
        ]);
      case 10:
        return { text: this.text(), entities: [{ type: 'bot_command', offset: 3, length: 9999 }, { type: 'bold', offset: -1, length: 2 }] };
      case 11:
        return { text: 'forwarded', forward_origin: { type: 'hidden_user', sender_user_name: 'x', date: 0 } };
      case 12:
        return { text: this.text(), reply_to_message: { message_id: 99999, date: 0, chat: this.chat('private', 1), text: 'old' } };
      default:
        return {};
    }
  }

  /** One update and what to expect of the bot's answer. */
  next(): Omit<Sent, 'calls' | 'updateId'> {
    const rng = this.rng;
    const from = this.person();
    const message = (chat: Record<string, unknown>, withFrom = true) => ({
      message_id: this.nextMessageId++,
      date: rng.chance(0.05) ? 0 : Math.floor(Date.now() / 1000),
      chat,
      ...(withFrom ? { from } : {}),
      ...this.content(),
    });
    const kind = rng.int(100);
    if (kind < 40) {
      const update = { message: message(this.chat('private', from.id)) } as unknown as Update;
      return { update, expectsAnswer: true };
    }
    if (kind < 65) {
      const onMessage = rng.chance(0.9);
      // Mostly a button on a message the bot really sent (Telegram says which), sometimes one the bot no longer has.
      const real = rng.chance(0.8) ? this.lastBotMessage(from.id) : undefined;
      const message = real ?? { message_id: rng.int(2000), date: rng.chance(0.2) ? 0 : Math.floor(Date.now() / 1000), chat: this.chat('private', from.id), text: 'old message' };
      const update = {
        callback_query: {
          id: `cb-${this.nextCallbackId++}`,
          from,
          chat_instance: 'ci',
          ...(rng.chance(0.95) ? { data: this.callbackData() } : { game_short_name: 'game' }),
          ...(onMessage ? { message } : { inline_message_id: 'inline-1' }),
        },
      } as unknown as Update;
      // Buttons on messages in the person's own chat get an answer; inline messages the bot never sends are ignored.
      return { update, expectsAnswer: onMessage };
    }
    if (kind < 72) {
      return { update: { edited_message: { ...message(this.chat('private', from.id)), edit_date: Math.floor(Date.now() / 1000) } } as unknown as Update, expectsAnswer: false };
    }
    if (kind < 82) {
      const group = rng.pick([GROUP_ID, OTHER_GROUP_ID]);
      const chat = this.chat(rng.chance(0.5) ? 'group' : 'supergroup', group);
      const update = rng.chance(0.8) ? { message: message(chat) } : { edited_message: { ...message(chat), edit_date: 1 } };
      return { update: update as unknown as Update, expectsAnswer: false, silentChat: group };
    }
    if (kind < 87) {
      const post = { message_id: this.nextMessageId++, date: 0, chat: this.chat('channel', CHANNEL_ID), sender_chat: this.chat('channel', CHANNEL_ID), ...this.content() };
      return { update: (rng.chance(0.7) ? { channel_post: post } : { edited_channel_post: post }) as unknown as Update, expectsAnswer: false, silentChat: CHANNEL_ID };
    }
    if (kind < 90) {
      // A private message without a sender: Telegram never sends one; it must not break anything.
      return { update: { message: message(this.chat('private', from.id), false) } as unknown as Update, expectsAnswer: false };
    }
    if (kind < 95) {
      const inGroup = rng.chance(0.5);
      const status = rng.pick(['member', 'kicked', 'left', 'administrator', 'restricted']);
      const update = {
        my_chat_member: {
          chat: inGroup ? this.chat('group', GROUP_ID) : this.chat('private', from.id),
          from,
          date: 0,
          old_chat_member: { status: 'member', user: { id: 123456789, is_bot: true, first_name: 'CityMentor' } },
          new_chat_member: { status, user: { id: 123456789, is_bot: true, first_name: 'CityMentor' }, ...(status === 'kicked' ? { until_date: 0 } : {}) },
        },
      } as unknown as Update;
      return { update, expectsAnswer: false, ...(inGroup ? { silentChat: GROUP_ID } : {}) };
    }
    const unknownKinds: Array<Record<string, unknown>> = [
      { inline_query: { id: 'iq', from, query: 'x', offset: '' } },
      { chosen_inline_result: { result_id: 'r', from, query: 'x' } },
      { poll_answer: { poll_id: 'p', user: from, option_ids: [0] } },
      { chat_join_request: { chat: this.chat('supergroup', GROUP_ID), from, user_chat_id: from.id, date: 0 } },
      { message_reaction: { chat: this.chat('private', from.id), message_id: 1, date: 0, user: from, old_reaction: [], new_reaction: [{ type: 'emoji', emoji: '👍' }] } },
      { pre_checkout_query: { id: 'pc', from, currency: 'EUR', total_amount: 1, invoice_payload: 'x' } },
      { a_kind_from_the_future: { from, chat: this.chat('private', from.id), whatever: [1, 2, 3] } },
      {},
    ];
    return { update: rng.pick(unknownKinds) as unknown as Update, expectsAnswer: false };
  }
}

/** A little of the programme, as other features leave it, so that forged ids (1, 2, 3…) find real rows. */
async function seedProgramme(db: Database): Promise<void> {
  const programme = await db.programme.findFirstOrThrow();
  const person = (telegramId: number) =>
    db.person.upsert({ where: { telegramId: BigInt(telegramId) }, create: { telegramId: BigInt(telegramId), firstName: `Person ${telegramId}`, language: 'en' }, update: {} });
  const [a, b, mentorPerson] = [await person(6001), await person(6002), await person(6003)];
  const team = await db.team.create({ data: { programmeId: programme.id, name: 'Bucha', country: 'Ukraine', createdById: 1, inviteCode: 'bucha-invite-1' } });
  await db.teamMember.create({ data: { teamId: team.id, personId: a.id } });
  await db.teamMember.create({ data: { teamId: team.id, personId: b.id } });
  const application = await db.formResponse.create({
    data: { programmeId: programme.id, formId: 'application', ownerKey: `person:${mentorPerson.id}`, status: 'submitted', submittedAt: new Date() },
  });
  const mentor = await db.mentor.create({ data: { programmeId: programme.id, personId: mentorPerson.id, applicationId: application.id, acceptedAt: new Date() } });
  await db.pair.create({ data: { programmeId: programme.id, mentorId: mentor.id, teamId: team.id, createdById: 1, publishedAt: new Date() } });
}

const answered = (sent: Sent, chatId: number) =>
  sent.calls.some(
    (c) =>
      !c.error &&
      ((c.method === 'answerCallbackQuery' && c.payload.callback_query_id === sent.update.callback_query?.id) ||
        (/^(send|edit)/.test(c.method) && Number(c.payload.chat_id) === chatId)),
  );

describe('a stream of malformed and hostile updates', () => {
  it('never crashes the bot, never leaves a person without an answer, and stays silent in groups', { timeout: 240_000 }, async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const api = await new RecordingBotApi().start();
      onTestFinished(() => api.close());
      const bot = await startTestBot({ api, env: { ADMIN_IDS: String(COORDINATOR_ID) }, clock: new TestClock(new Date('2025-11-10T09:00:00Z')) });
      await openCall(bot);
      await seedProgramme(bot.app.deps.db);
      const carrier = bot.user({ id: 1 });
      const stream = new HostileStream(new Prng(SEED), (chatId) => bot.user({ id: chatId }).botMessages().at(-1));
      const sent: Sent[] = [];
      for (let i = 0; i < UPDATES; i++) {
        const next = stream.next();
        const since = api.lastSeq;
        await carrier.act(next.update, { waitForReply: false });
        sent.push({ ...next, updateId: api.lastPushed!.update_id, calls: api.calls.filter((c) => c.seq > since) });
      }
      await stillAnswers(bot);
      expect(rejections, 'unhandled rejections').toEqual([]);

      // No update fails, including buttons on messages Telegram no longer lets the bot edit.
      const failures = bot.logs.filter((l) => l.includes('"msg":"update failed"'));
      expect(failures.map((l) => l.slice(0, 900)), 'updates that failed').toEqual([]);
      const apologies = await apologyTexts();
      const apologised = sent.filter((s) => s.calls.some((c) => apologies.some((a) => String(c.payload.text ?? '').startsWith(a))));
      expect(apologised.map((s) => JSON.stringify(s.update).slice(0, 300)), 'apologies').toEqual([]);

      // Groups and channels: not a word.
      const silentChats = new Set(sent.flatMap((s) => (s.silentChat === undefined ? [] : [s.silentChat])));
      expect(api.calls.filter((c) => silentChats.has(Number(c.payload.chat_id)))).toEqual([]);

      // Every person writing in private got an answer (a reply, an edit or a button's notice).
      const unanswered = sent.filter((s) => s.expectsAnswer && !answered(s, chatOf(s.update)!));
      expect(unanswered.map((s) => JSON.stringify(s.update).slice(0, 300)), 'private updates left without an answer').toEqual([]);
      if (process.env.FAULTS_DEBUG) console.log(`${sent.filter((s) => s.expectsAnswer).length} private updates answered`);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});

describe('a button pressed twice', () => {
  // Telegram refuses to edit a message to what it already shows ("message is not
  // modified"), which is what the second tap of a double tap asks for.
  it('is taken once, without a failed update or an apology', async () => {
    const bot = await startTestBot();
    const person = bot.user({ id: 6101, language_code: 'en' });
    await person.send('/language');
    const menu = person.botMessages().at(-1)!;
    await person.pressData('language:uk', menu);
    // The second tap was already on its way when the message changed.
    const second = await person.pressData('language:uk', menu);
    expect(bot.logs.filter((l) => l.includes('"msg":"update failed"'))).toEqual([]);
    expect(second.callbackAnswer ?? '').not.toContain('Вибачте');
  });
});

function chatOf(update: Update): number | undefined {
  return update.message?.chat.id ?? update.callback_query?.message?.chat.id;
}

/** The apology of the error boundary, in every language. */
async function apologyTexts(): Promise<string[]> {
  const i18n = await createI18n('en');
  return LOCALES.map((l) => i18n.t(l)('errors.generic').slice(0, 30));
}

async function stillAnswers(bot: TestBot): Promise<void> {
  const help = await bot.user({ id: 6999, language_code: 'en' }).send('/help');
  expect(help.text).toContain('guides a mentoring programme');
}
