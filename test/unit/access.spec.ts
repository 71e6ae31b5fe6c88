import { AGENCY_SEED, OVERSIGHT_AGENCIES, seesContext } from '../../libs/domain/src';

// Gang-related context (track, how the contact arose) is for the police units, EKI and the steering groups.
describe('need to know', () => {
  const codes = AGENCY_SEED.map((a) => a.code);

  it('every police unit sees context', () => {
    const police = codes.filter((c) => c.startsWith('POLICE_'));
    expect(police.length).toBeGreaterThan(3);
    expect(police.filter((c) => !seesContext(c))).toEqual([]);
  });

  it('EKI and the steering groups see context; the municipal and prison services do not', () => {
    expect(['EKI', ...OVERSIGHT_AGENCIES].every(seesContext)).toBe(true);
    expect(
      ['JOBCENTER', 'SSP', 'CFR', 'KRIMINALFORSORGEN'].filter((c) => codes.includes(c)).filter(seesContext),
    ).toEqual([]);
  });
});
