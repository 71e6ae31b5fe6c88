import { AGENCY_SEED, AGENCY_SEED_V2, ROLES, seesContext, type Role } from '../../libs/domain/src';

// Gang-related context (track, how the contact arose) by role and agency (CONTEXT_RULE in libs/domain/src/policy.ts):
// the coordinators, the police prevention units and EKI; never an investigation unit, nobody else.
describe('need to know: gang-related context', () => {
  const codes = [...AGENCY_SEED, ...AGENCY_SEED_V2].map((a) => a.code);
  const caseworkerAt = (agency: string) => ({ agency, roles: ['CASEWORKER'] as Role[] });

  it('the police prevention units and EKI see it; every other agency’s caseworker does not', () => {
    expect(codes.filter((c) => seesContext(caseworkerAt(c))).sort()).toEqual(
      ['EKI', 'POLICE_DKS', 'POLICE_EAS', 'POLICE_EXIT', 'POLICE_LOCAL'].sort(),
    );
  });

  it('a coordinator sees it wherever it sits, and so does the operative group; no other role lends it', () => {
    expect(seesContext({ agency: 'JOBCENTER', roles: ['COORDINATOR'] })).toBe(true);
    expect(seesContext({ agency: 'OPERATIVE_GROUP', roles: ['OPERATIVE_GROUP'] })).toBe(true);
    const others = ROLES.filter((r) => r !== 'COORDINATOR' && r !== 'OPERATIVE_GROUP');
    expect(others.filter((role) => seesContext({ agency: 'OPERATIVE_GROUP', roles: [role] }))).toEqual([]);
    expect(others.filter((role) => seesContext({ agency: 'SIKKER_BY', roles: [role] }))).toEqual([]);
  });

  it('an investigation unit never does, not even with a coordinator role (purpose limitation)', () => {
    expect(seesContext(caseworkerAt('POLICE_OC'))).toBe(false);
    expect(seesContext({ agency: 'POLICE_OC', roles: ['COORDINATOR', 'TEAM_LEAD'] })).toBe(false);
  });
});
