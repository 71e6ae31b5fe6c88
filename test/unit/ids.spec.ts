// Workflow ids are visible to everyone with access to Temporal, so they may carry nothing but a random UUID.
import { randomUUID } from 'crypto';
import { isUuid, pathwayWorkflowId, timelineEntryId } from '../../libs/domain/src/ids';

const V4 = '3f1c2b9e-8a4d-4c6e-9b2a-1d5e7f0a9c3b';
const V7 = '01890a5d-ac96-774b-bcce-b302099a8057';

describe('pathwayWorkflowId', () => {
  it('prefixes a UUID with pathway-', () => {
    expect(pathwayWorkflowId(V4)).toBe('pathway-3f1c2b9e-8a4d-4c6e-9b2a-1d5e7f0a9c3b');
    expect(pathwayWorkflowId(V7)).toBe('pathway-01890a5d-ac96-774b-bcce-b302099a8057');
  });

  it.each([
    'Jens Hansen',
    '010190-1234',
    '0101901234',
    'jens.hansen@example.dk',
    `${V4}-jens-hansen`,
    `jens-hansen-${V4}`,
    `${V4} Jens Hansen`,
    `${V4}\n010190-1234`,
    `${V4}\n`,
    ` ${V4}`,
    `pathway-${V4}`,
    V4.replace(/-/g, ''),
    '00000000-0000-0000-0000-000000000000',
    '3f1c2b9e-8a4d-4c6e-7b2a-1d5e7f0a9c3b',
    '3f1c2b9e-8a4d-4c6e-9b2a-1d5e7f0a9c3',
    '',
  ])('rejects %p so no personal data can get into a workflow id', (value) => {
    expect(() => pathwayWorkflowId(value)).toThrow(RangeError);
    expect(() => pathwayWorkflowId(value)).toThrow('pathway id must be a UUID');
  });

  it('does not echo the rejected value in the error', () => {
    expect(() => pathwayWorkflowId('Jens Hansen 010190-1234')).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('Jens') }),
    );
  });
});

describe('isUuid', () => {
  it('accepts random UUIDs from crypto.randomUUID', () => {
    for (let i = 0; i < 20; i += 1) expect(isUuid(randomUUID())).toBe(true);
  });
});

describe('timelineEntryId', () => {
  it('joins the pathway id and the sequence number', () => {
    expect(timelineEntryId(V4, 7)).toBe('3f1c2b9e-8a4d-4c6e-9b2a-1d5e7f0a9c3b:7');
  });
});
