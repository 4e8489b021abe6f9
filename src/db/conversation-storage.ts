import type { ConversationData, VersionedState } from '@grammyjs/conversations';
import type { Context } from 'grammy';
import type { Database } from './database.js';

type State = VersionedState<ConversationData>;

/** The context the storage sees: the chat, and the state read with the person when there is one (person-context.ts). */
type StorageContext = Context & {
  prefetched?: { conversationState?: string | null; conversationStateDeleted?: boolean; outdatedConversation?: unknown };
};

/**
 * Keeps the conversations plugin's replay state in the database so that several
 * bot instances share it and a restart does not drop it. The state is only a
 * convenience: answers are stored in their own tables the moment they are given.
 * One row per chat, keyed by the chat id.
 *
 * State written by another release (`version`) is of no use to the plugin, which drops it;
 * it is handed to the update as `prefetched.outdatedConversation` (so that a long answer
 * being written can be carried over, see form-resume.ts) and deleted, so that it is read once.
 */
export function conversationStorage(db: Database, version?: string) {
  const keyOf = (ctx: StorageContext) => ctx.chatId?.toString();
  const current = async (ctx: StorageContext, key: string, state: State | undefined): Promise<State | undefined> => {
    if (state === undefined || version === undefined || !Array.isArray(state.version) || state.version[1] === version) return state;
    if (ctx.prefetched) ctx.prefetched.outdatedConversation = state.state;
    await db.conversationState.deleteMany({ where: { key } });
    return undefined;
  };
  return {
    async read(ctx: StorageContext): Promise<State | undefined> {
      const key = keyOf(ctx);
      if (key === undefined) return undefined;
      // Read moments ago with the person: use it once, a later read goes to the database.
      const prefetched = ctx.prefetched?.conversationState;
      if (prefetched !== undefined) {
        delete ctx.prefetched!.conversationState;
        return current(ctx, key, prefetched === null ? undefined : (JSON.parse(prefetched) as State));
      }
      const row = await db.conversationState.findUnique({ where: { key } });
      return current(ctx, key, row ? (JSON.parse(row.value) as State) : undefined);
    },
    async write(ctx: StorageContext, state: State): Promise<void> {
      const key = keyOf(ctx);
      if (key === undefined) return;
      delete ctx.prefetched?.conversationState;
      if (ctx.prefetched) delete ctx.prefetched.conversationStateDeleted;
      const value = JSON.stringify(state);
      await db.conversationState.upsert({ where: { key }, create: { key, value }, update: { value } });
    },
    async delete(ctx: StorageContext): Promise<void> {
      const key = keyOf(ctx);
      if (key === undefined) return;
      delete ctx.prefetched?.conversationState;
      // Deleted already, in the same transaction as the form's last answer of this update.
      if (ctx.prefetched?.conversationStateDeleted) {
        delete ctx.prefetched.conversationStateDeleted;
        return;
      }
      await db.conversationState.deleteMany({ where: { key } });
    },
  };
}
