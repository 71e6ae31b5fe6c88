import { eventDataProblems, findNul } from '../../libs/domain/src';

describe('findNul', () => {
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
    expect(findNul(value)).toBe(path);
  });

  it('is a problem of an event, named by its field', () => {
    expect(eventDataProblems('ASSESSED', { track: 'EXIT_KK', reasons: 'Motiveret\u0000' })).toEqual([
      { field: 'data.reasons', reason: expect.stringMatching(/NUL/) },
    ]);
  });
});
