import {
  decodeUrgencyCursor,
  encodeUrgencyCursor,
  queuePageStatement,
} from '../../libs/persistence/src/queue.repository';

// A named statement is prepared once per connection; PostgreSQL refuses a second text under a name it already holds.
describe('queue page statement', () => {
  const after = { rank: 3, dueAt: '2026-11-25T10:00:00.000Z', id: '00000000-0000-0000-0000-000000000001' };
  const shapes = [
    {},
    { status: 'OPEN' as const },
    { overdue: false },
    { assignee: 'eki-1' },
    { status: 'CLAIMED' as const, overdue: true, assignee: 'eki-2' },
    { held: true },
    { held: true, assignee: 'eki-1' },
  ];

  it('gives one text per name, whatever the values', () => {
    const texts = new Map<string, string>();
    for (const filter of shapes) {
      for (const cursor of [undefined, after]) {
        for (const [agency, limit] of [
          ['EKI', 51],
          ['SSP', 201],
        ] as const) {
          const { name, text } = queuePageStatement(agency, filter, limit, cursor);
          expect(texts.get(name) ?? text).toBe(text);
          texts.set(name, text);
        }
      }
    }
    // Every combination of conditions is a statement of its own.
    expect(texts.size).toBe(shapes.length * 2);
  });

  it('numbers the values in the order the conditions name them', () => {
    const { text, values } = queuePageStatement('EKI', { overdue: true, assignee: 'eki-1' }, 51, after);
    expect(values).toEqual(['EKI', 51, true, 'eki-1', 3, after.dueAt, after.id]);
    expect(text).toContain('overdue = $3 AND assignee = $4');
    expect(text).toContain('> ($5::smallint, $6::timestamptz, $7::uuid)');
  });

  it('leaves held tasks out of the active queue and lists only those under “På hold”', () => {
    expect(queuePageStatement('EKI', {}, 51).text).toContain('held_until IS NULL');
    expect(queuePageStatement('EKI', { held: true }, 51).text).toContain('held_until IS NOT NULL');
  });
});

// queue_rank since the pathway priority (migration 1765690000000-PathwayPriority): 0 (level 2, overdue, prioritised)
// to 11 (not escalated, not overdue, not prioritised). A cursor carries it; one past the range is not this API's.
describe('queue cursor', () => {
  const at = { dueAt: '2026-11-25T10:00:00.000Z', id: '5d0e7f3a-1c2b-4d5e-8f90-a1b2c3d4e5f6' };
  it('takes back every rank from 0 to 11 and refuses 12', () => {
    for (const rank of [0, 5, 10, 11])
      expect(decodeUrgencyCursor(encodeUrgencyCursor({ rank, ...at }))).toEqual({ rank, ...at });
    expect(decodeUrgencyCursor(encodeUrgencyCursor({ rank: 12, ...at }))).toBeUndefined();
  });
});
