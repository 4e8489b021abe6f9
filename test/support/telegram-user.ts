import type { InlineKeyboardButton, InlineKeyboardMarkup, Message, Update } from 'grammy/types';
import type { ApiCall, FakeBotApi } from './fake-bot-api.js';

export interface Profile {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

/** What the bot did in answer to one action of the user. */
export class Replies {
  constructor(readonly calls: ApiCall[]) {}

  /** Texts (and captions) of messages sent or edited, in order. */
  get texts(): string[] {
    return this.calls
      .filter((c) => /^(sendMessage|editMessageText|sendDocument|sendPhoto)$/.test(c.method) && !c.error)
      .map((c) => String(c.payload.text ?? c.payload.caption ?? ''));
  }

  get text(): string {
    return this.texts.join('\n---\n');
  }

  get last(): ApiCall | undefined {
    return this.calls.filter((c) => !c.error && c.method !== 'answerCallbackQuery').at(-1);
  }

  /** The alert or toast shown for a button press, if any. */
  get callbackAnswer(): string | undefined {
    const call = this.calls.find((c) => c.method === 'answerCallbackQuery');
    return call ? String(call.payload.text ?? '') : undefined;
  }

  get documents(): ApiCall[] {
    return this.calls.filter((c) => c.method === 'sendDocument' && !c.error);
  }
}

/**
 * A person using Telegram: sends messages and presses buttons through the fake
 * server, then collects what the bot answered in this chat.
 */
export class TelegramUser {
  private nextMessageId = 1;
  private nextCallbackId = 1;

  /**
   * @param handled resolves once the bot reports (in its log) that it finished an update;
   *   without it, the user waits until the bot has been quiet for a moment.
   */
  constructor(
    readonly api: FakeBotApi,
    readonly profile: Profile,
    private readonly handled?: (updateId: number) => Promise<void>,
  ) {}

  get id(): number {
    return this.profile.id;
  }

  /** Sends a text message (a leading /command gets its entity) and waits for the bot's answer. */
  send(text: string, options: { waitForReply?: boolean } = {}): Promise<Replies> {
    const command = /^\/\w+(@\w+)?/.exec(text);
    return this.act(
      {
        message: this.message({
          text,
          ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {}),
        }),
      },
      options,
    );
  }

  sendSticker(): Promise<Replies> {
    return this.act({
      message: this.message({
        sticker: { file_id: 'sticker-1', file_unique_id: 'sticker-u1', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false },
      }),
    });
  }

  sendPhoto(): Promise<Replies> {
    return this.act({
      message: this.message({ photo: [{ file_id: 'photo-1', file_unique_id: 'photo-u1', width: 800, height: 600 }] }),
    });
  }

  sendDocument(document: { file_name: string; mime_type: string; file_size: number }): Promise<Replies> {
    const fileId = `doc-${this.id}-${this.nextMessageId}`;
    return this.act({ message: this.message({ document: { file_id: fileId, file_unique_id: `u-${fileId}`, ...document } }) });
  }

  /** Presses the button with this text on the newest bot message that has it. */
  press(buttonText: string | RegExp): Promise<Replies> {
    const found = this.findButton(buttonText);
    if (!found) throw new Error(`No button ${String(buttonText)} in the chat. Buttons: ${this.buttons().join(' | ')}`);
    return this.pressData(found.button.callback_data!, found.message);
  }

  /** Presses the button with this callback data on the newest bot message that has it. */
  pressCallback(data: string): Promise<Replies> {
    for (const message of [...this.botMessages()].reverse()) {
      if (keyboardOf(message).some((b) => 'callback_data' in b && b.callback_data === data)) return this.pressData(data, message);
    }
    throw new Error(`No button with data ${data} in the chat. Buttons: ${this.buttons().join(' | ')}`);
  }

  /** Sends a callback query with any data, as a forged or replayed button would. */
  pressData(data: string, message?: Message): Promise<Replies> {
    // Telegram always says which message a button was on; a forged press claims some old one.
    const on = message ?? this.botMessages().at(-1) ?? this.oldBotMessage();
    return this.act({
      callback_query: {
        id: `cb-${this.id}-${this.nextCallbackId++}`,
        from: { ...this.profile, is_bot: false },
        chat_instance: `ci-${this.id}`,
        data,
        ...(on ? { message: on } : {}),
      },
    } as unknown as Omit<Update, 'update_id'>);
  }

  /** Texts of the buttons on the newest bot message that has any. */
  buttons(): string[] {
    const message = this.botMessages().findLast((m) => keyboardOf(m).length > 0);
    return message ? keyboardOf(message).map((b) => b.text) : [];
  }

  /** Messages the bot sent to this chat, in their current (edited) state. */
  botMessages(): Message[] {
    const seen = new Set<number>();
    const result: Message[] = [];
    for (const call of this.api.calls) {
      const message = call.result as Message | undefined;
      if (!message || typeof message !== 'object' || !('message_id' in message) || message.chat?.id !== this.id) continue;
      if (seen.has(message.message_id)) continue;
      seen.add(message.message_id);
      const current = this.api.message(this.id, message.message_id);
      if (current) result.push(current);
    }
    return result;
  }

  lastBotText(): string {
    const message = this.botMessages().at(-1) as { text?: string; caption?: string } | undefined;
    return message?.text ?? message?.caption ?? '';
  }

  /** Pushes an update and returns the calls the bot made for this chat until it went quiet. */
  async act(update: Omit<Update, 'update_id'>, options: { waitForReply?: boolean } = {}): Promise<Replies> {
    const since = this.api.lastSeq;
    const pushed = this.api.pushUpdate(update);
    const callbackId = pushed.callback_query?.id;
    const mine = (c: ApiCall) =>
      c.seq > since && (Number(c.payload.chat_id) === this.id || (callbackId !== undefined && c.payload.callback_query_id === callbackId));
    if (this.handled) {
      await this.handled(pushed.update_id);
      // An update that failed gets its apology from the error boundary right after.
      // Only this chat counts: a broadcast going out to others must not keep the wait going.
      await this.api.settle(100, mine);
    } else if (options.waitForReply === false) {
      await this.api.waitFor(() => this.api.wasDelivered(pushed.update_id));
      await this.api.settle(300);
    } else {
      await this.api.waitFor(() => this.api.calls.some(mine), 10_000);
      await this.api.settle(undefined, mine);
    }
    return new Replies(this.api.calls.filter(mine));
  }

  private oldBotMessage(): Message {
    return { message_id: 1, date: 0, chat: { id: this.id, type: 'private', first_name: this.profile.first_name }, text: '…' } as Message;
  }

  private message(content: Record<string, unknown>): NonNullable<Update['message']> {
    return {
      message_id: this.nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat: { id: this.id, type: 'private', first_name: this.profile.first_name },
      from: { ...this.profile, is_bot: false },
      ...content,
    } as unknown as NonNullable<Update['message']>;
  }

  private findButton(text: string | RegExp): { message: Message; button: InlineKeyboardButton.CallbackButton } | undefined {
    const matches = (b: InlineKeyboardButton) => (typeof text === 'string' ? b.text === text : text.test(b.text));
    for (const message of [...this.botMessages()].reverse()) {
      const button = keyboardOf(message).find(matches);
      if (button && 'callback_data' in button) return { message, button };
    }
    return undefined;
  }
}

function keyboardOf(message: Message): InlineKeyboardButton[] {
  return ((message.reply_markup as InlineKeyboardMarkup | undefined)?.inline_keyboard ?? []).flat();
}
