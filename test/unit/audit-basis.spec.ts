// The legal basis a read of a person's data is recorded under, from the pathway's facts (libs/domain/src/audit.ts),
// and the hash chain's sensitivity to every field (libs/persistence/src/audit-chain.ts).
import { LEGAL_BASES, legalBasisFor } from '../../libs/domain/src';
import { CHAIN_START, chainHash, type ChainedFields } from '../../libs/persistence/src/audit-chain';

describe('legal basis per cooperation', () => {
  it('is SSP for a child, SSP+ (§ 115a) from 18, KSP in custody and release, consent when given', () => {
    expect(legalBasisFor({ age: 15, stage: 'CONTACT', consent: false }).code).toBe('SSP');
    expect(legalBasisFor({ age: 19, stage: 'INTERVENTION', consent: false })).toEqual(LEGAL_BASES.SSP_PLUS);
    expect(LEGAL_BASES.SSP_PLUS.text).toContain('§ 115a');
    expect(legalBasisFor({ age: 19, stage: 'CUSTODY', consent: false }).code).toBe('KSP');
    expect(legalBasisFor({ age: 16, stage: 'RELEASE_PLANNING', consent: false }).code).toBe('KSP');
    expect(legalBasisFor({ age: 16, stage: 'CUSTODY', consent: true }).code).toBe('CONSENT');
    // A pathway the service does not know (a refused attempt on an unknown id): the partnership's own basis.
    expect(legalBasisFor({}).code).toBe('SSP');
  });

  it('names its cooperation and paragraph for every basis that shares a person', () => {
    for (const code of ['SSP', 'SSP_PLUS', 'PSP', 'KSP'] as const) {
      expect(LEGAL_BASES[code].cooperation).toBeDefined();
      expect(LEGAL_BASES[code].text).toMatch(/Retsplejeloven § 115a? \(/);
    }
  });
});

describe('audit hash chain', () => {
  const row: ChainedFields = {
    id: '41',
    at: new Date('2026-12-06T07:00:00.123Z'),
    actorAgency: 'OPERATIVE_GROUP',
    actorUserId: 'operativ-gruppe',
    actorRoles: 'OPERATIVE_GROUP',
    action: 'READ_PATHWAY',
    pathwayId: '0b5f6c3e-6d3a-4f7e-9a53-1f0e8a0c0c11',
    taskId: null,
    purpose: 'PREVENTION',
    legalBasis: LEGAL_BASES.SSP.text,
    legalBasisCode: 'SSP',
    requestId: 'req-12345678',
    result: 'ALLOWED',
    reason: null,
    detail: null,
    itemCount: null,
  };

  it('changes with every field and with the previous hash', () => {
    const hash = chainHash(CHAIN_START, row);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(chainHash(CHAIN_START, { ...row })).toBe(hash);
    expect(chainHash('1'.repeat(64), row)).not.toBe(hash);
    const changed: Partial<ChainedFields>[] = [
      { id: '42' },
      { at: new Date('2026-12-06T07:00:00.124Z') },
      { actorAgency: 'EKI' },
      { actorUserId: 'koordinator' },
      { actorRoles: 'COORDINATOR' },
      { action: 'READ_TIMELINE' },
      { pathwayId: null },
      { taskId: '0b5f6c3e-6d3a-4f7e-9a53-1f0e8a0c0c12' },
      { purpose: 'STATISTICS' },
      { legalBasis: LEGAL_BASES.KSP.text },
      { legalBasisCode: 'KSP' },
      { requestId: null },
      { result: 'REFUSED' },
      { reason: 'only the auditors may do this' },
      { detail: { agency: 'JOBCENTER' } },
      { itemCount: 0 },
    ];
    for (const change of changed)
      expect({ change, same: chainHash(CHAIN_START, { ...row, ...change }) === hash }).toEqual({ change, same: false });
  });

  it("reads a list's detail the same whichever order its keys come back in (jsonb keeps its own order)", () => {
    const listed = { ...row, detail: { agency: 'JOBCENTER', status: 'OPEN', overdue: true }, itemCount: 3 };
    const reordered = { ...listed, detail: { overdue: true, status: 'OPEN', agency: 'JOBCENTER' } };
    expect(chainHash(CHAIN_START, reordered)).toBe(chainHash(CHAIN_START, listed));
    expect(chainHash(CHAIN_START, { ...listed, detail: { ...listed.detail, status: 'CLAIMED' } })).not.toBe(
      chainHash(CHAIN_START, listed),
    );
  });
});
