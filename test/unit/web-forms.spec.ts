// The web forms' own logic: Danish dates typed by people, and every refusal the domain gives for an event read in
// Danish (the API's 409 message is the domain's wording, so a change of wording fails here, not in front of a user).
import i18next from 'i18next';
import da from '../../apps/web/src/i18n/da.json';
import { copenhagenInstant, parseClockTime, parseDanishDate } from '../../apps/web/src/format/dates';
import { eventRefusalText, recordableEvents } from '../../apps/web/src/pages/record-event';
import { acceptedEvents, recordEventRefusal } from '../../libs/domain/src';

describe('Danish dates in forms', () => {
  it('reads dd.mm.åååå and its common variants, and ISO pasted in', () => {
    expect(['17.05.2010', '17-5-2010', '17/5/2010', '17 05 2010', '2010-05-17'].map(parseDanishDate)).toEqual(
      Array(5).fill('2010-05-17'),
    );
  });

  it('refuses dates that do not exist and text that is not a date', () => {
    expect(['31.02.2010', '29.02.2027', '17.13.2010', '17.05.10', 'i går', ''].map(parseDanishDate)).toEqual(
      Array(6).fill(undefined),
    );
    expect(parseDanishDate('29.02.2028')).toBe('2028-02-29');
  });

  it('reads a clock time with a dot or a colon and means Copenhagen time, summer or winter', () => {
    expect([parseClockTime('9.30'), parseClockTime('09:30'), parseClockTime('24.00')]).toEqual([
      { hour: 9, minute: 30 },
      { hour: 9, minute: 30 },
      undefined,
    ]);
    expect(copenhagenInstant('2026-12-06', 9, 30)).toBe('2026-12-06T08:30:00.000Z');
    expect(copenhagenInstant('2026-07-06', 9, 30)).toBe('2026-07-06T07:30:00.000Z');
  });
});

describe('Registrér hændelse', () => {
  let t: typeof i18next.t;
  beforeAll(async () => {
    const i18n = i18next.createInstance();
    await i18n.init({ lng: 'da', resources: { da: { translation: da } }, interpolation: { escapeValue: false } });
    t = i18n.t.bind(i18n);
  });
  const refused = (
    pathway: Parameters<typeof recordEventRefusal>[0],
    type: Parameters<typeof recordEventRefusal>[1],
    data = {},
  ) => {
    const refusal = recordEventRefusal(pathway, type, data);
    if (!refusal) throw new Error(`${type} was not refused`);
    return eventRefusalText(refusal.message, type, pathway.stage, acceptedEvents(pathway.stage), t);
  };

  it('offers a caseworker only the events of the stage that are not a coordinator’s to record', () => {
    expect(recordableEvents('CONTACT', ['CASEWORKER'])).toEqual([
      'ARRESTED',
      'REMANDED',
      'SENTENCED',
      'MOVED',
      'RELEASED_AFTER_ARREST',
      'CONTACT_DIFFICULT',
      'CHARGED',
    ]);
    expect(recordableEvents('CONTACT', ['COORDINATOR'])).toContain('CLOSED');
    expect(recordableEvents('CLOSED', ['COORDINATOR'])).toEqual([]);
    expect(recordableEvents('CONTACT', ['STEERING'])).toEqual([]);
  });

  it('says in Danish why each event the domain refuses does not fit', () => {
    const contact = {
      stage: 'CONTACT' as const,
      hasReleaseDate: false,
      age: 16,
      arrestPending: false,
      sentenced: false,
    };
    expect(refused(contact, 'RELEASED')).toBe(
      '»Løsladt« passer ikke til fasen »Kontakt«. Forløbet tager nu imod: Anholdt, Varetægtsfængslet, Dømt, ' +
        'Samtykke givet, Samtykke trukket tilbage, Motivation vurderet, Flyttet, Lukket, Løsladt efter anholdelse, ' +
        'Svært at få kontakt, Sigtet.',
    );
    expect(refused({ ...contact, stage: 'CLOSED' }, 'ARRESTED')).toBe(
      'Forløbet er lukket og tager ikke imod flere hændelser.',
    );
    expect(refused(contact, 'RELEASED_AFTER_ARREST')).toBe(
      'Der er ingen anholdelse eller varetægtsfængsling uden dom at blive løsladt fra.',
    );
    expect(
      refused({ ...contact, stage: 'RELEASE_PLANNING' }, 'RELEASE_DATE_CHANGED', { expectedReleaseDate: '2027-01-01' }),
    ).toBe('Forløbet har ingen forventet løsladelsesdato, der kan ændres.');
    expect(refused({ ...contact, stage: 'CUSTODY' }, 'PAROLE_DECIDED', { granted: true })).toBe(
      'Prøveløsladelse afgøres på en dom. Registrér »Dømt« først.',
    );
    expect(refused({ ...contact, stage: 'ASSESSMENT' }, 'ASSESSED', { track: 'EXIT_KK', reasons: 'Motiveret' })).toBe(
      'Exit-sporene er for voksne (18 år og derover). Under 18 er sporene Forebyggelse, Opsøgende og Ingen indsats.',
    );
  });

  it('falls back to a general Danish reason for a refusal it does not know', () => {
    expect(eventRefusalText('something new', 'MOVED', 'CONTACT', [], t)).toBe(
      '»Flyttet« passer ikke til forløbet, som det står nu (fasen »Kontakt«).',
    );
  });
});
