/** Telegram allows 4096 characters a message; leave room for what a caller adds. */
export const MESSAGE_LIMIT = 3900;

/** Joins lines into as few messages as fit under Telegram's limit, never splitting a line. */
export function chunkMessages(lines: readonly string[], options: { separator?: string; limit?: number } = {}): string[] {
  const { separator = '\n', limit = MESSAGE_LIMIT } = options;
  const messages: string[] = [];
  let current = '';
  for (const line of lines) {
    if (current !== '' && current.length + separator.length + line.length > limit) {
      messages.push(current);
      current = line;
    } else {
      current = current === '' ? line : `${current}${separator}${line}`;
    }
  }
  if (current !== '') messages.push(current);
  return messages;
}
