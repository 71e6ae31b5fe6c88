import { eventDataProblems, findUnstorable, hasUnstorable } from '../../libs/domain/src';

describe('findUnstorable', () => {
  it.each([
    ['a clean document', { a: 'x', b: [1, 'y', { c: null }] }, undefined],
    ['a string', 'a\u0000b', ''],
    [
      'a nested string in an array',
      { stages: { CONTACT: { tasks: [{}, {}, { title: 'x\u0000' }] } } },
      'stages.CONTACT.tasks[2].title',
    ],
    ['a key', { person: { 'na\u0000me': 'x' } }, 'person.na\\u0000me'],
  ])('finds it in %s', (_name, value, path) => {
    expect(findUnstorable(value)).toBe(path);
  });

  it('is a problem of an event, named by its field', () => {
    expect(eventDataProblems('ASSESSED', { track: 'EXIT_KK', reasons: 'Motiveret\u0000' })).toEqual([
      { field: 'data.reasons', reason: expect.stringMatching(/NUL/) },
    ]);
  });
});

describe('hasUnstorable', () => {
  it.each([
    ['plain Danish text', 'Hjemmebesøg på Nørrebro', false],
    ['an emoji (a surrogate pair)', 'ok 😀', false],
    ['a NUL', 'a\u0000b', true],
    ['a lone high surrogate', 'visit done \ud800', true],
    ['a lone low surrogate', '\udc00 first', true],
    ['a pair written backwards', '\ude00\ud83d', true],
  ])('%s → %s', (_name, text, expected) => {
    expect(hasUnstorable(text)).toBe(expected);
  });
});
