/**
 * The people one can be in the playground: "you" as coordinator, mentors and members of
 * mentee teams, each with the Telegram language their app would send.
 */
export interface PlaygroundPerson {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code: string;
  /** What the playground makes of them at first; the bot decides the rest (applications, teams). */
  role: 'coordinator' | 'mentor' | 'team';
}

export const PLAYGROUND_PEOPLE: readonly PlaygroundPerson[] = [
  { id: 700001, first_name: 'You', username: 'coordinator', language_code: 'en', role: 'coordinator' },
  { id: 700002, first_name: 'Olena', last_name: 'Kovalenko', language_code: 'uk', role: 'mentor' },
  { id: 700003, first_name: 'Piotr', last_name: 'Nowak', language_code: 'pl', role: 'mentor' },
  { id: 700004, first_name: 'Līga', last_name: 'Bērziņa', language_code: 'lv', role: 'mentor' },
  { id: 700005, first_name: 'Sarah', last_name: 'Miller', language_code: 'en', role: 'mentor' },
  { id: 700006, first_name: 'Andrii', last_name: 'Melnyk', language_code: 'uk', role: 'team' },
  { id: 700007, first_name: 'Natalia', last_name: 'Ivanova', language_code: 'ru', role: 'team' },
  { id: 700008, first_name: 'Marta', last_name: 'Wiśniewska', language_code: 'pl', role: 'team' },
];

export const PLAYGROUND_COORDINATOR = PLAYGROUND_PEOPLE[0]!;

export function playgroundPerson(id: number): PlaygroundPerson | undefined {
  return PLAYGROUND_PEOPLE.find((p) => p.id === id);
}
