/**
 * Who a coordinator can write to at once. Ids are stored in Broadcast.audience and
 * used in button data, so never rename one. Labels: `broadcast.audiences.<id>`.
 */
export const AUDIENCES = ['applicants', 'mentors', 'teams', 'pairs', 'everyone'] as const;
export type Audience = (typeof AUDIENCES)[number];

export function isAudience(value: unknown): value is Audience {
  return typeof value === 'string' && (AUDIENCES as readonly string[]).includes(value);
}

/** The people of several groups, each once, in a stable order. */
export function unionOfPeople(...groups: ReadonlyArray<Iterable<number>>): number[] {
  const all = new Set<number>();
  for (const group of groups) for (const id of group) all.add(id);
  return [...all].sort((a, b) => a - b);
}
