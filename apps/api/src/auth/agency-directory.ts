// Which agency a sign-in token may name: the agencies table decides (an agency switched off there signs nobody in any
// more), cached briefly because every request asks. Wiring: cachedAgencyDirectory((code) => read.findAgency(code))
// with the ReadRepository of apps/api/src/core/core.module.ts.
import { EXTERNAL_AGENCY_SEED, type AgencyKind } from '../../../../libs/domain/src';
import { ShortLived } from '../core/reference-data';
import type { AgencyDirectory } from './token-verifier';

export interface AgencyRecord {
  active: boolean;
}

export interface AgencyDirectoryOptions {
  /** How long an answer is reused; a deactivated agency is refused at most this much later. */
  ttlMs?: number;
  now?: () => number;
}

export function cachedAgencyDirectory(
  find: (code: string) => Promise<AgencyRecord | null>,
  options: AgencyDirectoryOptions = {},
): AgencyDirectory {
  // Only codes that passed AGENCY_CODE_PATTERN get here, but a flood of distinct unknown ones must not grow this.
  const cache = new ShortLived<string, AgencyKind | undefined>(options.ttlMs ?? 30_000, options.now);
  return {
    kindOf(code) {
      // External partners are not rows yet (libs/domain/src/agencies.ts); their codes are fixed until they are.
      if (EXTERNAL_AGENCY_SEED.some((agency) => agency.code === code)) return Promise.resolve('EXTERNAL');
      return cache.get(code, async () => ((await find(code))?.active ? 'PARTNER' : undefined));
    },
  };
}
