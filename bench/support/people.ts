import type { InlineKeyboardMarkup, Message, Update } from 'grammy/types';
import { DateTime } from 'luxon';
import type { ApiCall, FakeBotApi } from '../../test/support/fake-bot-api.js';
import { sleep } from './report.js';

/**
 * Simulated people for load: many at once, so unlike test/support/telegram-user.ts
 * they never wait for the whole server to go quiet; each waits for the bot's
 * "update handled" for its own update, as a person waits for the answer.
 */

export type Step = { text: string } | { press: string };

/**
 * The mentor application, answer by answer and button by button, as
 * test/support/application.ts answers it (no CV), from /apply to submitting.
 */
export function applicationSteps(name: string): Step[] {
  return [
    { text: '/apply' },
    { text: name },
    { text: 'mentor@example.org' },
    { press: 'f|k|phone|' },
    { text: 'Ukraine' },
    { text: 'Lviv' },
    { text: 'City council' },
    { text: 'Head of international relations' },
    { press: 'f|t|expertise_areas|0' },
    { press: 'f|t|expertise_areas|4' },
    { press: 'f|d|expertise_areas|' },
    { text: '12' },
    { text: 'Twelve years of twinning projects.' },
    { press: 'f|d|experience_description|' },
    { press: 'f|c|context_knowledge|4' },
    { press: 'f|k|context_comment|' },
    { press: 'f|k|cv|' },
    { press: 'f|t|working_languages|0' },
    { press: 'f|t|working_languages|1' },
    { press: 'f|d|working_languages|' },
    { press: 'f|c|english_level|3' },
    { press: 'f|c|ready_six_months|0' },
    { press: 'f|c|ready_to_travel|0' },
    { press: 'f|c|ready_for_meetings|0' },
    { press: 'f|k|preferences|' },
    { text: 'I want to help communities build partnerships.' },
    { press: 'f|d|motivation|' },
    { press: 'f|c|heard_from|2' },
    { press: 'f|a|consent|' },
    { press: 'f|s|review|' },
  ];
}

export const COORDINATOR_ID = 900;

/** The coordinator's commands that open the call, with a deadline two months ahead (Kyiv time, as the bot's default zone). */
export function openCallSteps(): Step[] {
  const deadline = DateTime.now().setZone('Europe/Kyiv').plus({ months: 2 }).toFormat('dd.MM.yyyy 23:59');
  return [{ text: '/start' }, { text: `/call deadline ${deadline}` }, { text: '/call open' }];
}

/** The bot's messages per chat, indexed as calls arrive (scanning every call per press would grow quadratically). */
export class ChatIndex {
  private cursor = 0;
  private readonly byChat = new Map<number, number[]>();

  constructor(private readonly api: FakeBotApi) {}

  /** The newest bot message in the chat whose buttons include this callback data, in its current state. */
  messageWithButton(chatId: number, data: string): Message | undefined {
    this.catchUp();
    const ids = this.byChat.get(chatId) ?? [];
    for (let k = ids.length - 1; k >= 0; k--) {
      const message = this.api.message(chatId, ids[k]!);
      const keyboard = (message?.reply_markup as InlineKeyboardMarkup | undefined)?.inline_keyboard.flat() ?? [];
      if (keyboard.some((b) => 'callback_data' in b && b.callback_data === data)) return message;
    }
    return undefined;
  }

  private catchUp(): void {
    const calls = this.api.calls;
    for (; this.cursor < calls.length; this.cursor++) {
      const result = calls[this.cursor]!.result as Message | undefined;
      if (!result || typeof result !== 'object' || !('message_id' in result) || !result.chat) continue;
      const ids = this.byChat.get(result.chat.id) ?? [];
      if (ids.at(-1) !== result.message_id && !ids.includes(result.message_id)) ids.push(result.message_id);
      this.byChat.set(result.chat.id, ids);
    }
  }
}

/** One update a simulated person sent. */
export interface Sent {
  updateId: number;
  /** A command, a typed message or a button press. */
  kind: 'command' | 'text' | 'press';
  chatId: number;
  callbackId?: string;
  pushedAt: number;
  handledAt?: number;
}

export interface Driver {
  api: FakeBotApi;
  index: ChatIndex;
  handled(updateId: number): Promise<void>;
  /** Every update sent, in order. */
  sent: Sent[];
  /** Button presses on a message the bot never sent (the echo bot sends none). */
  forgeButtons: boolean;
}

export function createDriver(api: FakeBotApi, handled: (updateId: number) => Promise<void>, options: { forgeButtons?: boolean } = {}): Driver {
  return { api, index: new ChatIndex(api), handled, sent: [], forgeButtons: options.forgeButtons ?? false };
}

export class Person {
  private nextMessageId = 1;
  private nextCallbackId = 1;

  constructor(
    private readonly driver: Driver,
    readonly id: number,
    private readonly firstName = `Person ${id}`,
  ) {}

  /** Sends the steps one after another, each after the bot finished the previous one, waiting `thinkMs` in between. */
  async run(steps: readonly Step[], thinkMs = 0): Promise<void> {
    for (const step of steps) {
      await this.act(step);
      if (thinkMs > 0) await sleep(thinkMs);
    }
  }

  async act(step: Step): Promise<Sent> {
    const { api } = this.driver;
    const from = { id: this.id, is_bot: false, first_name: this.firstName, language_code: 'en' };
    const chat = { id: this.id, type: 'private' as const, first_name: this.firstName };
    let update: Omit<Update, 'update_id'>;
    let callbackId: string | undefined;
    let kind: Sent['kind'] = 'press';
    if ('text' in step) {
      const command = /^\/\w+/.exec(step.text);
      kind = command ? 'command' : 'text';
      update = {
        message: {
          message_id: this.nextMessageId++,
          date: Math.floor(Date.now() / 1000),
          chat,
          from,
          text: step.text,
          ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {}),
        },
      } as Omit<Update, 'update_id'>;
    } else {
      const on = this.driver.forgeButtons
        ? ({ message_id: 1, date: 0, chat, text: '…' } as Message)
        : this.driver.index.messageWithButton(this.id, step.press);
      if (!on) throw new Error(`Person ${this.id}: no button ${step.press} in the chat`);
      callbackId = `cb-${this.id}-${this.nextCallbackId++}`;
      update = { callback_query: { id: callbackId, from, chat_instance: `ci-${this.id}`, data: step.press, message: on } } as Omit<Update, 'update_id'>;
    }
    const pushed = api.pushUpdate(update);
    const sent: Sent = { updateId: pushed.update_id, kind, chatId: this.id, callbackId, pushedAt: performance.now() };
    this.driver.sent.push(sent);
    await this.driver.handled(pushed.update_id);
    sent.handledAt = performance.now();
    return sent;
  }
}

/**
 * From the fake server's records: for each update, the time from getUpdates
 * handing it to the bot to the bot's first call in that chat (a message, an edit,
 * a callback answer). Each person waits for the answer before the next update, so
 * the first call in the chat after delivery belongs to that update.
 */
export function replyLatencies(
  api: FakeBotApi,
  sent: readonly Sent[],
): { latencies: number[]; unanswered: number; /** The same latencies by update id. */ byUpdate: Map<number, number> } {
  const byChat = new Map<number, number[]>();
  const byCallback = new Map<string, number>();
  for (const call of api.calls) {
    if (call.method === 'getUpdates' || call.error) continue;
    const callbackId = call.payload.callback_query_id;
    if (typeof callbackId === 'string' && !byCallback.has(callbackId)) byCallback.set(callbackId, call.at);
    const chatId = chatOf(call);
    if (chatId === undefined) continue;
    const times = byChat.get(chatId) ?? [];
    times.push(call.at);
    byChat.set(chatId, times);
  }
  const latencies: number[] = [];
  const byUpdate = new Map<number, number>();
  let unanswered = 0;
  for (const s of sent) {
    const delivered = api.deliveredAt.get(s.updateId);
    if (delivered === undefined) {
      unanswered++;
      continue;
    }
    const candidates: number[] = [];
    const times = byChat.get(s.chatId);
    if (times) {
      const k = lowerBound(times, delivered);
      if (k < times.length) candidates.push(times[k]!);
    }
    if (s.callbackId !== undefined && byCallback.has(s.callbackId)) candidates.push(byCallback.get(s.callbackId)!);
    const first = Math.min(...candidates);
    if (!Number.isFinite(first) || (s.handledAt !== undefined && first > s.handledAt)) unanswered++;
    else {
      latencies.push(first - delivered);
      byUpdate.set(s.updateId, first - delivered);
    }
  }
  return { latencies, unanswered, byUpdate };
}

function chatOf(call: ApiCall): number | undefined {
  const id = call.payload.chat_id;
  return id === undefined ? undefined : Number(id);
}

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
