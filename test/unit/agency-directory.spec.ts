// The agency lookup behind every token check reads the agencies table at most once per code and cache period.
import { cachedAgencyDirectory } from '../../apps/api/src/auth/agency-directory';

describe('the cached agency directory', () => {
  it('reuses an answer for its period, then reads the table again', async () => {
    const rows = new Map([['EKI', { active: true }]]);
    const asked: string[] = [];
    let clock = 0;
    const directory = cachedAgencyDirectory(
      (code) => {
        asked.push(code);
        return Promise.resolve(rows.get(code) ?? null);
      },
      { ttlMs: 1000, now: () => clock },
    );
    expect(await directory.kindOf('EKI')).toBe('PARTNER');
    rows.set('EKI', { active: false });
    clock = 999;
    expect(await directory.kindOf('EKI')).toBe('PARTNER');
    clock = 1000;
    expect(await directory.kindOf('EKI')).toBeUndefined();
    expect(await directory.kindOf('NOPE')).toBeUndefined();
    expect(asked).toEqual(['EKI', 'EKI', 'NOPE']);
  });

  it('knows the external partners without a row', async () => {
    const directory = cachedAgencyDirectory(() => Promise.resolve(null));
    expect(await directory.kindOf('BOLIGFORENING')).toBe('EXTERNAL');
    expect(await directory.kindOf('EKI')).toBeUndefined();
  });
});
