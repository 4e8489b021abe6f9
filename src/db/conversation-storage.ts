import type { ConversationData, VersionedState } from '@grammyjs/conversations';
import type { Database } from './database.js';

/**
 * Keeps the conversations plugin's replay state in the database so that several
 * bot instances share it and a restart does not drop it. The state is only a
 * convenience: answers are stored in their own tables the moment they are given.
 */
export function conversationStorage(db: Database) {
  return {
    async read(key: string): Promise<VersionedState<ConversationData> | undefined> {
      const row = await db.conversationState.findUnique({ where: { key } });
      return row ? (JSON.parse(row.value) as VersionedState<ConversationData>) : undefined;
    },
    async write(key: string, state: VersionedState<ConversationData>): Promise<void> {
      const value = JSON.stringify(state);
      await db.conversationState.upsert({ where: { key }, create: { key, value }, update: { value } });
    },
    async delete(key: string): Promise<void> {
      await db.conversationState.deleteMany({ where: { key } });
    },
  };
}
