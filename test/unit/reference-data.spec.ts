// The reference data a pathway start reads (apps/api/src/core/reference-data.ts): reused for REFERENCE_DATA_TTL_MS,
// then read again; a failed read is not kept; a district changed in this process is read again at once.
import { REFERENCE_DATA_TTL_MS, ReferenceData } from '../../apps/api/src/core/reference-data';
import type { DistrictRepository, ReadRepository } from '../../libs/persistence/src';

function fixture() {
  const agencies = new Map([['SSP', true]]);
  let districts = ['NORDVEST', 'TINGBJERG'];
  let failNext = false;
  const asked: string[] = [];
  let clock = 0;
  const read = {
    findAgency: (code: string) => {
      asked.push(`agency ${code}`);
      if (failNext) {
        failNext = false;
        return Promise.reject(new Error('connection lost'));
      }
      return Promise.resolve(agencies.has(code) ? { active: agencies.get(code) } : null);
    },
  } as unknown as ReadRepository;
  const rows = {
    activeCodes: () => {
      asked.push('districts');
      return Promise.resolve([...districts]);
    },
  } as unknown as DistrictRepository;
  const reference = new ReferenceData(read, rows, () => clock);
  return {
    reference,
    agencies,
    asked,
    setDistricts: (codes: string[]) => (districts = codes),
    failNext: () => (failNext = true),
    at: (ms: number) => (clock = ms),
  };
}

describe('reference data for starts', () => {
  it('sees an agency switched off once its answer is REFERENCE_DATA_TTL_MS old, and reads each code once until then', async () => {
    const f = fixture();
    expect(await f.reference.activeAgency('SSP')).toBe(true);
    f.agencies.set('SSP', false);
    f.at(REFERENCE_DATA_TTL_MS - 1);
    expect(await f.reference.activeAgency('SSP')).toBe(true);
    expect(await f.reference.activeAgency('NOPE')).toBe(false);
    f.at(REFERENCE_DATA_TTL_MS);
    expect(await f.reference.activeAgency('SSP')).toBe(false);
    expect(f.asked).toEqual(['agency SSP', 'agency NOPE', 'agency SSP']);
  });

  it('keeps no failed read: the next request asks again', async () => {
    const f = fixture();
    f.failNext();
    await expect(f.reference.activeAgency('SSP')).rejects.toThrow('connection lost');
    expect(await f.reference.activeAgency('SSP')).toBe(true);
    expect(f.asked).toEqual(['agency SSP', 'agency SSP']);
  });

  it('refuses a district not in use with a 400 naming the field; a change in this process is seen at once', async () => {
    const f = fixture();
    await expect(f.reference.checkDistrict('TINGBJERG', 'person.district')).resolves.toBeUndefined();
    f.setDistricts(['NORDVEST']);
    // Changed behind this process's back: seen after the period.
    await expect(f.reference.checkDistrict('TINGBJERG', 'person.district')).resolves.toBeUndefined();
    f.reference.forgetDistricts();
    const refused = f.reference.checkDistrict('TINGBJERG', 'person.district');
    await expect(refused).rejects.toMatchObject({ status: 400 });
    await expect(refused).rejects.toMatchObject({
      response: {
        errors: [{ field: 'person.district', reason: expect.stringContaining("unknown district 'TINGBJERG'") }],
      },
    });
    f.setDistricts(['NORDVEST', 'TINGBJERG']);
    f.at(REFERENCE_DATA_TTL_MS);
    await expect(f.reference.checkDistrict('TINGBJERG', 'person.district')).resolves.toBeUndefined();
    expect(f.asked).toEqual(['districts', 'districts', 'districts']);
  });
});
