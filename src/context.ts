import type { Context } from 'grammy';
import type { Redis } from 'ioredis';
import type { ConversationFlavor } from '@grammyjs/conversations';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Database, Person } from './db/database.js';
import type { FormSessionState } from './db/person-state.js';
import type { I18n, Translate } from './i18n.js';
import type { Locale } from './locales.js';
import type { Logger } from './logger.js';

/** What the bot's parts share: configuration, storage, translations, logging and time. */
export interface AppDeps {
  config: Config;
  db: Database;
  i18n: I18n;
  logger: Logger;
  clock: Clock;
  /** Set when REDIS_URL is: shared counters for several instances. */
  redis?: Redis;
}

/** What every handler can use, filled in by src/middleware/person-context.ts for private chats. */
export interface AppFlavor {
  deps: AppDeps;
  /** The person writing, as stored. */
  person: Person;
  locale: Locale;
  t: Translate;
  isCoordinator: boolean;
  /**
   * Read together with the person at the start of this update (src/db/person-state.ts), so
   * that what every update needs is one statement. A property that is absent was not read.
   */
  prefetched: {
    /** The conversations plugin's stored state for this chat; taken (and removed) by its first read. */
    conversationState?: string | null;
    /** The form deleted the chat's stored conversation state with its last write (form-conversation.ts). */
    conversationStateDeleted?: boolean;
    formSession?: FormSessionState | null;
    /** Conversation state another release wrote, dropped by the plugin (conversation-storage.ts). */
    outdatedConversation?: unknown;
  };
}

export type BotContext = ConversationFlavor<Context & AppFlavor>;
