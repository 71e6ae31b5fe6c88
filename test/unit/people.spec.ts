// The search terms a person is found by (libs/domain/src/people.ts): spellings of one name meet, and the birth dates
// a typing slip gives are the ones the duplicate warning looks at.
import {
  birthDateSlips,
  nameWords,
  normaliseName,
  personSearchRefusal,
  personSearchTerms,
} from '../../libs/domain/src';
import { PersonSearchIndex } from '../../libs/persistence/src/person-search';
import { groupHits } from '../../apps/api/src/persons/persons.service';

describe('names as the index sees them', () => {
  it('folds case, æ/ø/å (and ä/ö) to ae/oe/aa, drops other accents and punctuation', () => {
    expect(normaliseName('  Søren  ÅBENRÅ-Jørgensen ')).toBe('soeren aabenraa joergensen');
    expect(normaliseName('Soeren Aabenraa Jörgensen')).toBe('soeren aabenraa joergensen');
    expect(normaliseName('Zoë Müller-Lüdenscheidt')).toBe('zoe muller ludenscheidt');
    expect(normaliseName('Ærø Mæhle')).toBe(normaliseName('Aeroe Maehle'));
  });

  it('words of two letters or more, each once; the whole name; the birth date', () => {
    expect(nameWords('Ali A. Hassan Hassan')).toEqual(['ali', 'hassan']);
    expect(personSearchTerms({ name: 'Ali Hassan', birthDate: '2009-03-04' })).toEqual([
      { kind: 'word', value: 'ali' },
      { kind: 'word', value: 'hassan' },
      { kind: 'name', value: 'ali hassan' },
      { kind: 'birth', value: '2009-03-04' },
    ]);
  });

  it('hashes each term with the key and its kind: another key or kind gives another token', () => {
    const a = new PersonSearchIndex(Buffer.alloc(32, 1));
    const b = new PersonSearchIndex(Buffer.alloc(32, 2));
    const word = { kind: 'word' as const, value: 'hassan' };
    expect(a.token(word)).toMatch(/^[0-9a-f]{64}$/);
    expect(a.token(word)).not.toBe(b.token(word));
    expect(a.token(word)).not.toBe(a.token({ kind: 'name', value: 'hassan' }));
    expect(a.keyId).not.toBe(b.keyId);
    expect(a.tokensOf({ name: 'Søren Ås', birthDate: '2009-03-04' })).toEqual(
      a.tokensOf({ name: 'SOEREN AAS', birthDate: '2009-03-04' }),
    );
  });
});

describe('birth dates a typing slip away', () => {
  const slips = birthDateSlips('2009-03-14');
  it('one digit wrong, two neighbours swapped, day and month swapped; real dates only', () => {
    expect(slips).toContain('2009-03-15'); // one digit
    expect(slips).toContain('2008-03-14'); // one digit of the year
    expect(slips).toContain('2090-03-14'); // neighbours swapped
    expect(slips).not.toContain('2009-03-14'); // not itself
    expect(slips).not.toContain('2009-03-41'); // no unreal date
    expect(birthDateSlips('2009-04-03')).toContain('2009-03-04'); // day and month
    expect(slips).not.toContain('2009-04-15'); // two digits off
    expect(birthDateSlips('not a date')).toEqual([]);
  });
});

describe('a search needs something to search by', () => {
  it('names the field', () => {
    expect(personSearchRefusal({})).toEqual([{ field: 'name', reason: 'give a name, a birth date or both' }]);
    expect(personSearchRefusal({ name: 'a' })).toEqual([
      { field: 'name', reason: 'must hold a word of two letters or more' },
    ]);
    expect(personSearchRefusal({ birthDate: '2009-02-30' })).toEqual([
      { field: 'birthDate', reason: 'must be a date YYYY-MM-DD' },
    ]);
    expect(personSearchRefusal({ name: 'Ali', birthDate: '2009-02-28' })).toEqual([]);
  });
});

describe('search results by person', () => {
  it('one result per folded name and birth date, named by its oldest pathway; closed pathways say so', () => {
    const at = (day: number) => new Date(Date.UTC(2026, 0, day));
    const hits = [
      { pathwayId: 'a', name: 'Søren Ås', birthDate: '2009-04-03', stage: 'CLOSED', openedAt: at(1), closedAt: at(5) },
      {
        pathwayId: 'b',
        name: 'Ali Hassan',
        birthDate: '2009-04-03',
        stage: 'CONTACT',
        openedAt: at(2),
        closedAt: null,
      },
      {
        pathwayId: 'c',
        name: 'SOEREN AAS',
        birthDate: '2009-04-03',
        stage: 'CONTACT',
        openedAt: at(3),
        closedAt: null,
      },
    ];
    expect(groupHits(hits)).toEqual([
      {
        personId: 'a',
        name: 'Søren Ås',
        birthDate: '2009-04-03',
        pathways: [
          { id: 'a', stage: 'CLOSED', status: 'CLOSED', openedAt: at(1).toISOString() },
          { id: 'c', stage: 'CONTACT', status: 'OPEN', openedAt: at(3).toISOString() },
        ],
      },
      {
        personId: 'b',
        name: 'Ali Hassan',
        birthDate: '2009-04-03',
        pathways: [{ id: 'b', stage: 'CONTACT', status: 'OPEN', openedAt: at(2).toISOString() }],
      },
    ]);
  });
});
