// What every pathway start reads and hardly ever changes, kept for a few seconds in this process (issue 14, item 9):
// whether an agency is active, the districts in use, and (apps/api/src/core/playbook.service.ts) the newest playbook's
// pin. Nothing personal is kept here. A change made through this process (PUT /districts/:code, POST /playbooks)
// is seen by its next request; another API process sees it within REFERENCE_DATA_TTL_MS, as it sees an agency
// switched off in the agencies table (which no route changes).
import { districtRefusal } from '../../../../libs/domain/src';
import { DistrictRepository, ReadRepository } from '../../../../libs/persistence/src';
import { badRequest } from './validation';

/** How long an answer about reference data is reused. */
export const REFERENCE_DATA_TTL_MS = 5_000;

/**
 * Answers reused for `ttlMs`, by key. A load that fails is not kept; a load in flight is shared, so a burst of starts
 * asks once. Bounded: past `max` keys it starts again (unknown agency codes must not grow it).
 */
export class ShortLived<K, V> {
  private readonly entries = new Map<K, { value: Promise<V>; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly max = 1000,
  ) {}

  get(key: K, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && hit.until > this.now()) return hit.value;
    if (this.entries.size >= this.max) this.entries.clear();
    const value = load();
    this.entries.set(key, { value, until: this.now() + this.ttlMs });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  /** Drops one key's answer, or every answer. */
  forget(key?: K): void {
    if (key === undefined) this.entries.clear();
    else this.entries.delete(key);
  }
}

/** Made in apps/api/src/core/core.module.ts (a factory: `now` is for tests). */
export class ReferenceData {
  private readonly agencies: ShortLived<string, boolean>;
  private readonly districts: ShortLived<'active', string[]>;

  constructor(
    private readonly read: ReadRepository,
    private readonly districtRows: DistrictRepository,
    now: () => number = Date.now,
  ) {
    this.agencies = new ShortLived(REFERENCE_DATA_TTL_MS, now);
    this.districts = new ShortLived(REFERENCE_DATA_TTL_MS, now);
  }

  /** Whether the agencies table has the code and it is active. */
  activeAgency(code: string): Promise<boolean> {
    return this.agencies.get(code, async () => (await this.read.findAgency(code))?.active === true);
  }

  /** The codes a pathway may be filed under now (DistrictRepository.activeCodes). */
  activeDistricts(): Promise<string[]> {
    return this.districts.get('active', () => this.districtRows.activeCodes());
  }

  /** 400 naming `field` unless `code` is a district in use (opening a pathway, MOVED). */
  async checkDistrict(code: string, field: string): Promise<void> {
    const refused = districtRefusal(code, await this.activeDistricts());
    if (refused) throw badRequest([{ field, reason: refused }]);
  }

  /** After this process changed a district: its next request reads the table again. */
  forgetDistricts(): void {
    this.districts.forget();
  }
}
