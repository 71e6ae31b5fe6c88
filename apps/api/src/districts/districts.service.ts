// The districts and focus areas in use (the `districts` table), which the steering group changes; and the check the
// API makes wherever a client names a district (opening a pathway and MOVED: ReferenceData.checkDistrict; the list
// filter).
import { Injectable } from '@nestjs/common';
import { DISTRICT_CODE_PATTERN, DISTRICT_CODE_REASON, type Actor } from '../../../../libs/domain/src';
import { DistrictRepository } from '../../../../libs/persistence/src';
import { AuditTrail } from '../core/audit-trail';
import { ReferenceData } from '../core/reference-data';
import { badRequest } from '../core/validation';
import type { DistrictView, SetDistrictDto } from './district.dto';

@Injectable()
export class DistrictsService {
  constructor(
    private readonly districts: DistrictRepository,
    private readonly trail: AuditTrail,
    private readonly reference: ReferenceData,
  ) {}

  list(): Promise<DistrictView[]> {
    return this.districts.list();
  }

  /** Adds or changes a district; written to the audit trail as an administrative command (no person's data). */
  async set(code: string, dto: SetDistrictDto, actor: Actor): Promise<{ created: boolean; district: DistrictView }> {
    if (!DISTRICT_CODE_PATTERN.test(code)) throw badRequest([{ field: 'code', reason: DISTRICT_CODE_REASON }]);
    const created = await this.districts.save(
      { code, name: dto.name.trim(), focus: dto.focus, active: dto.active ?? true },
      actor.agency,
    );
    this.reference.forgetDistricts();
    await this.trail.administration(actor, created ? 'ADD_DISTRICT' : 'CHANGE_DISTRICT', { code });
    return { created, district: (await this.districts.find(code))! };
  }
}
