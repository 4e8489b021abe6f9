import { DateTime } from 'luxon';
import type { RunningApp } from '../app.js';
import { claimForSending, recordDecisions } from '../db/applications.js';
import { findOrCreateResponse, personOwner, saveAnswer, setResponseStatus, teamOwner } from '../db/form-responses.js';
import { createLog } from '../db/mentoring-logs.js';
import { recordMentor, setMentorCapacity } from '../db/mentors.js';
import { publishPairs } from '../db/pairs.js';
import { upsertPerson } from '../db/people.js';
import { openCall, programmeOf, setApplicationDeadline, setProgrammeName } from '../db/programmes.js';
import { createSession, logHeldSession } from '../db/sessions.js';
import { addMember, createTeam, listTeams } from '../db/teams.js';
import { planVisit, recordVisitDone } from '../db/visits.js';
import type { AnswerValue } from '../forms/types.js';
import { localTimeText } from '../local-time-text.js';
import type { Locale } from '../locales.js';
import { PLAYGROUND_COORDINATOR, playgroundPerson } from './people.js';

/**
 * A Cities4Cities-like programme to try the bot on: an open call with a deadline two
 * months ahead, a dozen mentor applications in several languages at every stage of
 * review, ten Ukrainian communities with their needs analyses, and two pairs already
 * working (sessions, logged days, a visit), so that review, matching, sessions and the
 * monthly report all have something to show. Written with the bot's own database
 * functions, as the features would have left it.
 */

const DAY = 24 * 60 * 60 * 1000;
const DEMO_MARKER = 'Zhovkva';

type Stage = 'accepted' | 'shortlisted' | 'rejected' | 'submitted';

interface DemoMentor {
  telegramId: number;
  name: string;
  language: string;
  country: string;
  city: string;
  organisation: string;
  position: string;
  expertise: string[];
  languages: string[];
  english: string;
  years: number;
  experience: string;
  motivation: string;
  available?: boolean;
  stage: Stage;
  /** Strengths profile, for accepted mentors. */
  policyAreas?: string[];
  population?: number;
  capacity?: number;
}

const MENTORS: DemoMentor[] = [
  {
    telegramId: 700005, // Sarah Miller, one of the playground's people
    name: 'Sarah Miller',
    language: 'en',
    country: 'Ireland',
    city: 'Cork',
    organisation: 'Cork City Council',
    position: 'International relations officer',
    expertise: ['international_cooperation', 'municipal_partnerships'],
    languages: ['en'],
    english: 'C2',
    years: 14,
    experience: 'Built the twinning programme of Cork with three cities; ran EU town-twinning projects.',
    motivation: 'I want to help a Ukrainian community set up its first partnerships.',
    stage: 'accepted',
    policyAreas: ['participation', 'communication', 'international_cooperation_office'],
    population: 224_000,
  },
  {
    telegramId: 710001,
    name: 'Jan Kowalski',
    language: 'pl',
    country: 'Poland',
    city: 'Lublin',
    organisation: 'Urząd Miasta Lublin',
    position: 'Kierownik biura projektów międzynarodowych',
    expertise: ['international_projects', 'grant_funding', 'project_management'],
    languages: ['pl', 'en', 'uk'],
    english: 'C1',
    years: 18,
    experience: 'Ponad 40 projektów UE i EOG, w tym partnerstwa z Łuckiem i Iwano-Frankiwskiem.',
    motivation: 'Chcę dzielić się doświadczeniem w pozyskiwaniu funduszy.',
    stage: 'accepted',
    policyAreas: ['grant_funding', 'municipal_finance'],
    population: 330_000,
    capacity: 2,
  },
  {
    telegramId: 710002,
    name: 'Ilze Kalniņa',
    language: 'lv',
    country: 'Latvia',
    city: 'Valmiera',
    organisation: 'Valmieras novada pašvaldība',
    position: 'Attīstības nodaļas vadītāja',
    expertise: ['municipal_development', 'project_management'],
    languages: ['lv', 'en', 'ru'],
    english: 'B2',
    years: 11,
    experience: 'Vadīju novada attīstības stratēģijas izstrādi un iedzīvotāju iesaisti.',
    motivation: 'Gribu palīdzēt mazām kopienām veidot stratēģiju.',
    stage: 'accepted',
    policyAreas: ['sustainable_development', 'participation', 'cooperation_strategy'],
    population: 23_000,
  },
  {
    telegramId: 710003,
    name: 'Oksana Hrytsenko',
    language: 'uk',
    country: 'Ukraine',
    city: 'Lviv',
    organisation: 'Львівська міська рада',
    position: 'Начальниця відділу міжнародної співпраці',
    expertise: ['international_cooperation', 'grant_funding', 'municipal_partnerships'],
    languages: ['uk', 'en', 'pl'],
    english: 'C1',
    years: 12,
    experience: 'Створила відділ міжнародної співпраці, 25 міст-партнерів, проєкти з GIZ та USAID.',
    motivation: 'Хочу допомогти громадам, які лише починають міжнародну співпрацю.',
    stage: 'accepted',
    policyAreas: ['international_cooperation_office', 'partnership_processes', 'integration'],
    population: 720_000,
    capacity: 2,
  },
  {
    telegramId: 710004,
    name: 'Thomas Weber',
    language: 'en',
    country: 'Germany',
    city: 'Freiburg',
    organisation: 'Stadt Freiburg im Breisgau',
    position: 'Head of the partnership office',
    expertise: ['municipal_partnerships', 'municipal_development'],
    languages: ['de', 'en'],
    english: 'C1',
    years: 20,
    experience: 'Coordinates Freiburg’s eleven city partnerships, including one with Lviv.',
    motivation: 'Partnerships need a first step; I can help take it.',
    stage: 'accepted',
    policyAreas: ['sustainable_development', 'first_international_contacts'],
    population: 236_000,
  },
  {
    telegramId: 710005,
    name: 'Marek Zieliński',
    language: 'pl',
    country: 'Poland',
    city: 'Rzeszów',
    organisation: 'Urząd Miasta Rzeszowa',
    position: 'Doradca prezydenta ds. współpracy zagranicznej',
    expertise: ['international_cooperation', 'international_projects', 'project_management'],
    languages: ['pl', 'en', 'uk', 'ru'],
    english: 'B2',
    years: 9,
    experience: 'Współpraca z miastami Ukrainy zachodniej od 2014 roku.',
    motivation: 'Rzeszów jest blisko Ukrainy — chcę pomóc sąsiadom.',
    stage: 'accepted',
    policyAreas: ['first_international_contacts', 'partnership_processes'],
    population: 198_000,
  },
  {
    telegramId: 710006,
    name: 'Dmytro Bondarenko',
    language: 'uk',
    country: 'Ukraine',
    city: 'Vinnytsia',
    organisation: 'Вінницька міська рада',
    position: 'Заступник директора департаменту економіки',
    expertise: ['municipal_development', 'grant_funding'],
    languages: ['uk', 'en'],
    english: 'B2',
    years: 8,
    experience: 'Залучив 12 млн євро грантів на енергоефективність.',
    motivation: 'Хочу поділитися досвідом роботи з донорами.',
    stage: 'submitted',
  },
  {
    telegramId: 710007,
    name: 'Aleksei Smirnov',
    language: 'ru',
    country: 'Estonia',
    city: 'Narva',
    organisation: 'Narva Linnavalitsus',
    position: 'Специалист по международным проектам',
    expertise: ['international_projects', 'project_management'],
    languages: ['ru', 'en'],
    english: 'B2',
    years: 7,
    experience: 'Проекты Interreg Эстония–Латвия, трансграничное сотрудничество.',
    motivation: 'Хочу помочь общинам выстроить проектный офис.',
    stage: 'submitted',
  },
  {
    telegramId: 710008,
    name: 'Kristīne Ozola',
    language: 'lv',
    country: 'Latvia',
    city: 'Jelgava',
    organisation: 'Jelgavas valstspilsētas pašvaldība',
    position: 'Ārējo sakaru speciāliste',
    expertise: ['international_cooperation', 'municipal_partnerships'],
    languages: ['lv', 'en'],
    english: 'C1',
    years: 6,
    experience: 'Sadraudzības pilsētu tīkls un jauniešu apmaiņas projekti.',
    motivation: 'Vēlos dalīties ar pieredzi sadarbības veidošanā.',
    stage: 'submitted',
  },
  {
    telegramId: 710009,
    name: 'Agnieszka Wójcik',
    language: 'pl',
    country: 'Poland',
    city: 'Gdańsk',
    organisation: 'Urząd Miejski w Gdańsku',
    position: 'Koordynatorka programu mentoringowego',
    expertise: ['municipal_development', 'international_cooperation'],
    languages: ['pl', 'en'],
    english: 'C1',
    years: 10,
    experience: 'Program mentoringowy dla liderek samorządowych metropolii.',
    motivation: 'Mentoring zmienia samorządy — widziałam to w Gdańsku.',
    stage: 'submitted',
  },
  {
    telegramId: 710010,
    name: 'Emma Johansson',
    language: 'en',
    country: 'Sweden',
    city: 'Uppsala',
    organisation: 'Uppsala kommun',
    position: 'EU coordinator',
    expertise: ['international_projects', 'grant_funding'],
    languages: ['en'],
    english: 'C2',
    years: 9,
    experience: 'Coordinated Uppsala’s Horizon and Interreg partnerships.',
    motivation: 'To support communities building European networks.',
    stage: 'shortlisted',
  },
  {
    telegramId: 710011,
    name: 'Pavlo Tkachenko',
    language: 'uk',
    country: 'Ukraine',
    city: 'Poltava',
    organisation: 'Полтавська обласна рада',
    position: 'Консультант',
    expertise: ['project_management'],
    languages: ['uk'],
    english: 'A2',
    years: 3,
    experience: 'Супровід проєктів розвитку громад області.',
    motivation: 'Хочу набути досвіду менторства.',
    available: false,
    stage: 'rejected',
  },
];

interface DemoTeam {
  name: string;
  region: string;
  population: number;
  themes: string[];
  languages: string[];
  challenge: string;
  contact: string;
  members: Array<{ telegramId: number; name: string; language: string }>;
  /** Bolekhiv is still answering. */
  draft?: boolean;
}

const TEAMS: DemoTeam[] = [
  {
    name: DEMO_MARKER,
    region: 'Lviv oblast',
    population: 13_000,
    themes: ['international_cooperation_office', 'first_international_contacts', 'participation'],
    languages: ['uk', 'en'],
    challenge: 'No one in the council works on international cooperation; we want a small office and a first partner city.',
    contact: 'Oksana Melnyk, head of the development department',
    members: [
      { telegramId: 700006, name: 'Andrii Melnyk', language: 'uk' },
      { telegramId: 710020, name: 'Oksana Melnyk', language: 'uk' },
    ],
  },
  {
    name: 'Bucha',
    region: 'Kyiv oblast',
    population: 37_000,
    themes: ['grant_funding', 'project_management', 'partnership_processes'],
    languages: ['uk', 'en', 'pl'],
    challenge: 'Reconstruction projects need grant funding; we lack people who can write and run international projects.',
    contact: 'Iryna Savchenko, deputy mayor',
    members: [
      { telegramId: 700007, name: 'Natalia Ivanova', language: 'ru' },
      { telegramId: 710021, name: 'Iryna Savchenko', language: 'uk' },
    ],
  },
  { name: 'Slavutych', region: 'Kyiv oblast', population: 24_000, themes: ['cooperation_strategy', 'sustainable_development'], languages: ['uk', 'en'], challenge: 'We want an international cooperation strategy tied to our energy transition.', contact: 'Yurii Fomichev, mayor', members: [{ telegramId: 710022, name: 'Olha Petrenko', language: 'uk' }] },
  { name: 'Nizhyn', region: 'Chernihiv oblast', population: 66_000, themes: ['first_international_contacts', 'municipal_development'], languages: ['uk', 'en'], challenge: 'Find first partner cities for our university town.', contact: 'Serhii Kodola, secretary of the council', members: [{ telegramId: 710023, name: 'Maksym Kravets', language: 'uk' }] },
  { name: 'Khmilnyk', region: 'Vinnytsia oblast', population: 27_000, themes: ['grant_funding', 'international_projects'], languages: ['uk', 'pl'], challenge: 'A spa town that needs partners and funds for tourism infrastructure.', contact: 'Nataliia Yurchenko, head of the economy department', members: [{ telegramId: 710024, name: 'Nataliia Yurchenko', language: 'uk' }] },
  { name: 'Dolyna', region: 'Ivano-Frankivsk oblast', population: 20_000, themes: ['partnership_processes', 'communication'], languages: ['uk', 'en', 'pl'], challenge: 'Two partnerships exist on paper only; we need processes that keep them alive.', contact: 'Roman Hnatiuk, international officer', members: [{ telegramId: 710025, name: 'Roman Hnatiuk', language: 'uk' }] },
  { name: 'Boyarka', region: 'Kyiv oblast', population: 36_000, themes: ['integration', 'participation'], languages: ['uk', 'en'], challenge: 'Integrating 6,000 internally displaced people; we want to learn from cities that did it.', contact: 'Svitlana Bondar, social policy', members: [{ telegramId: 710026, name: 'Svitlana Bondar', language: 'ru' }] },
  { name: 'Kamianets-Podilskyi', region: 'Khmelnytskyi oblast', population: 97_000, themes: ['international_cooperation_office', 'cooperation_strategy'], languages: ['uk', 'en', 'de'], challenge: 'Turn a tourism office into an international cooperation department with a strategy.', contact: 'Andrii Zakharchuk, deputy mayor', members: [{ telegramId: 710027, name: 'Andrii Zakharchuk', language: 'uk' }] },
  { name: 'Mukachevo', region: 'Zakarpattia oblast', population: 85_000, themes: ['municipal_finance', 'grant_funding', 'sustainable_development'], languages: ['uk', 'en', 'lv'], challenge: 'Co-financing EU projects from a stretched budget.', contact: 'Viktoriia Babiak, finance department', members: [{ telegramId: 710028, name: 'Viktoriia Babiak', language: 'uk' }] },
  { name: 'Bolekhiv', region: 'Ivano-Frankivsk oblast', population: 10_000, themes: ['first_international_contacts'], languages: ['uk'], challenge: 'A small town looking for its first contacts abroad.', contact: 'Taras Lytvyn, secretary', members: [{ telegramId: 710029, name: 'Taras Lytvyn', language: 'uk' }], draft: true },
];

/** The needs analysis's other required answers: short, but what a team might write. */
function needsAnswers(team: DemoTeam): Record<string, AnswerValue> {
  return {
    challenges: team.challenge,
    themes: { choices: team.themes },
    reasons: 'Residents and the council asked for it in the 2025 strategy consultations.',
    learning_from_others: 'How other municipalities organised this work and kept it going.',
    expected_impact: 'A working team, first agreements with partners and projects under way within a year.',
    key_actors: 'The mayor’s office, the finance department, schools, local NGOs.',
    actor_relations: 'Good with NGOs; the finance department needs convincing.',
    resources: 'Motivated staff and a council that supports the programme.',
    obstacles: 'Little funding and no experience with international partners.',
    action_plan_people: 'The development department drafts it; the council approves it.',
    working_languages: { choices: team.languages },
    situation_trends: 'More displaced residents, fewer staff, growing interest from partners abroad.',
    population: team.population,
    policies_institutions: 'Community development strategy 2021–2027; a youth council.',
  };
}

export interface DemoResult {
  summary: string;
  loaded: boolean;
}

export async function loadDemoProgramme({ app, locale }: { app: RunningApp; locale: Locale }): Promise<DemoResult> {
  const { db, config, clock } = app.deps;
  const say = app.deps.i18n.t(locale);
  const programme = await programmeOf(app.deps);
  if ((await listTeams(db, programme.id)).some((t) => t.name === DEMO_MARKER)) {
    return { loaded: false, summary: say('playground.demo.already_loaded') };
  }
  const now = clock.now();
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY);
  // Sessions start on the hour in the programme's time zone, as people schedule them.
  const onTheHour = (daysAgo: number, hour: number) =>
    DateTime.fromJSDate(at(daysAgo), { zone: programme.timeZone }).set({ hour, minute: 0, second: 0, millisecond: 0 }).toJSDate();
  const person = (telegramId: number, name: string, language: string) => {
    const known = playgroundPerson(telegramId);
    const [firstName, ...rest] = name.split(' ');
    return upsertPerson(
      db,
      known ?? { id: telegramId, first_name: firstName!, last_name: rest.join(' ') || undefined, language_code: language },
      config.defaultLocale,
    );
  };
  const coordinator = await person(PLAYGROUND_COORDINATOR.id, 'You', PLAYGROUND_COORDINATOR.language_code);

  await setProgrammeName(db, programme.id, {
    name: 'Cities4Cities Mentorship 2026 (demo)',
    localizedNames: JSON.stringify({ uk: 'Менторство Cities4Cities 2026 (демо)', pl: 'Mentoring Cities4Cities 2026 (demo)', lv: 'Cities4Cities mentorings 2026 (demo)', ru: 'Менторство Cities4Cities 2026 (демо)' }),
  });
  // The last minute of the day two months from now, in the programme's time zone.
  const deadline = endOfDayIn(new Date(now.getTime() + 60 * DAY), programme.timeZone);
  await setApplicationDeadline(db, programme.id, deadline, programme.timeZone);
  await openCall(db, programme.id, true);

  const mentorIds = new Map<string, number>();
  const mentorPeople = new Map<string, number>();
  for (const [index, m] of MENTORS.entries()) {
    const who = await person(m.telegramId, m.name, m.language);
    const submittedAt = at(30 - index);
    const response = await findOrCreateResponse(db, { programmeId: programme.id, formId: 'application', ownerKey: personOwner(who.id) });
    const available = m.available ?? true;
    const answers: Record<string, AnswerValue> = {
      full_name: m.name,
      email: `${m.name.split(' ')[0]!.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '')}@example.org`,
      country: m.country,
      city: m.city,
      organisation: m.organisation,
      position: m.position,
      expertise_areas: { choices: m.expertise },
      experience_years: m.years,
      experience_description: m.experience,
      context_knowledge: m.country === 'Ukraine' ? 5 : 3,
      working_languages: { choices: m.languages },
      english_level: m.english,
      ready_six_months: available,
      ready_to_travel: available,
      ready_for_meetings: available,
      ...(available ? {} : { availability_conditions: 'Only online, and not before spring.' }),
      motivation: m.motivation,
      heard_from: 'colleague',
      consent: true,
    };
    for (const [questionId, value] of Object.entries(answers)) await saveAnswer(db, { responseId: response.id, questionId, value, answeredById: who.id, at: submittedAt });
    await setResponseStatus(db, response.id, 'submitted', submittedAt);
    if (m.stage === 'submitted') continue;

    const decidedAt = at(20 - index);
    const { created } = await recordDecisions(db, {
      items: [{ responseId: response.id, decision: m.stage, message: '' }],
      decidedById: coordinator.id,
      at: decidedAt,
    });
    await claimForSending(db, created[0]!.id, decidedAt);
    if (m.stage !== 'accepted') continue;
    const mentor = await recordMentor(db, { programmeId: programme.id, personId: who.id, applicationId: response.id, acceptedAt: decidedAt });
    if (m.capacity) await setMentorCapacity(db, mentor.id, m.capacity);
    mentorIds.set(m.name, mentor.id);
    mentorPeople.set(m.name, who.id);
    const strengths = await findOrCreateResponse(db, { programmeId: programme.id, formId: 'strengths_profile', ownerKey: personOwner(who.id) });
    const profile: Record<string, AnswerValue> = {
      policy_areas: { choices: m.policyAreas ?? [] },
      good_practice: m.experience,
      other_actors: 'The regional association of municipalities.',
      population: m.population ?? 0,
    };
    for (const [questionId, value] of Object.entries(profile)) await saveAnswer(db, { responseId: strengths.id, questionId, value, answeredById: who.id, at: decidedAt });
    await setResponseStatus(db, strengths.id, 'submitted', decidedAt);
  }

  const teamIds = new Map<string, number>();
  for (const t of TEAMS) {
    const team = await createTeam(db, {
      programmeId: programme.id,
      kind: 'municipality',
      name: t.name,
      country: 'Ukraine',
      region: t.region,
      city: t.name,
      population: t.population,
      contactName: t.contact,
      contactEmail: null,
      createdById: coordinator.id,
    });
    teamIds.set(t.name, team.id);
    const members = [];
    for (const member of t.members) {
      const who = await person(member.telegramId, member.name, member.language);
      await addMember(db, team.id, who.id, at(40));
      members.push(who);
    }
    const needs = await findOrCreateResponse(db, { programmeId: programme.id, formId: 'needs_analysis', ownerKey: teamOwner(team.id) });
    const answers = needsAnswers(t);
    const given = t.draft ? Object.entries(answers).slice(0, 3) : Object.entries(answers);
    for (const [questionId, value] of given) await saveAnswer(db, { responseId: needs.id, questionId, value, answeredById: members[0]!.id, at: at(35) });
    if (!t.draft) await setResponseStatus(db, needs.id, 'submitted', at(34));
  }

  // Two pairs already at work: Sarah with Zhovkva, Jan with Bucha.
  const working = [
    { mentor: 'Sarah Miller', team: DEMO_MARKER, city: 'Zhovkva' },
    { mentor: 'Jan Kowalski', team: 'Bucha', city: 'Bucha' },
  ];
  const published = await publishPairs(
    db,
    working.map((w) => ({ programmeId: programme.id, mentorId: mentorIds.get(w.mentor)!, teamId: teamIds.get(w.team)!, score: 40, reasons: [], createdById: coordinator.id })),
    at(45),
  );
  if (!published.ok) throw new Error('the demo pairs could not be published');
  for (const [index, pair] of published.pairs.entries()) {
    const w = working[index]!;
    const mentorPersonId = mentorPeople.get(w.mentor)!;
    // A session held three weeks ago, logged; one coming next week.
    const held = await createSession(db, { programmeId: programme.id, pairId: pair.id, kind: 'online', startsAt: onTheHour(21, 11), durationMinutes: 90, place: 'https://meet.example.org/demo', agenda: 'Getting to know each other; the needs analysis', organiserId: mentorPersonId });
    await logHeldSession(db, { sessionId: held.id, pairId: pair.id, mentorPersonId, date: dateIn(at(21), programme.timeZone), amount: 1, activity: 'online_session', at: at(21) });
    await createSession(db, { programmeId: programme.id, pairId: pair.id, kind: 'online', startsAt: onTheHour(-7 - index, 14), durationMinutes: 60, place: 'https://meet.example.org/demo', agenda: 'First draft of the action plan', organiserId: mentorPersonId });
    for (const [daysAgo, activity] of [[38, 'preparation'], [12, 'preparation'], [3, 'other']] as const) {
      await createLog(db, { pairId: pair.id, mentorPersonId, date: dateIn(at(daysAgo), programme.timeZone), amount: 0.5, activity, at: at(daysAgo) });
    }
    if (index === 1) {
      await recordVisitDone(db, { pairId: pair.id, number: 1, kind: 'mentee_city', city: w.city, doneOn: dateIn(at(10), programme.timeZone), participants: 'Mentor, team, the deputy mayor', outcomes: 'Situation analysis and a first list of actions' });
      await createLog(db, { pairId: pair.id, mentorPersonId, date: dateIn(at(10), programme.timeZone), amount: 1, activity: 'visit', at: at(10) });
    } else {
      await planVisit(db, { pairId: pair.id, number: 1, kind: 'mentee_city', city: w.city, plannedFor: dateIn(at(-20), programme.timeZone) });
    }
  }

  return {
    loaded: true,
    summary: say('playground.demo.loaded', {
      deadline: localTimeText(say, deadline, programme.timeZone, locale),
      applications: MENTORS.length,
      accepted: MENTORS.filter((m) => m.stage === 'accepted').length,
      teams: TEAMS.length,
      pairs: working.length,
    }),
  };
}

/** YYYY-MM-DD of an instant in a time zone. */
function dateIn(instant: Date, timeZone: string): string {
  return DateTime.fromJSDate(instant, { zone: timeZone }).toISODate()!;
}

/** 23:59 on the day of `instant` in `timeZone`. */
function endOfDayIn(instant: Date, timeZone: string): Date {
  return DateTime.fromJSDate(instant, { zone: timeZone }).set({ hour: 23, minute: 59, second: 0, millisecond: 0 }).toJSDate();
}
