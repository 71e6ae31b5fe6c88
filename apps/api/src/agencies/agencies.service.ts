import { Injectable, NotFoundException } from '@nestjs/common';
import { decodeCursor, ReadRepository } from '../../../../libs/persistence/src';
import { badRequest } from '../core/validation';
import type { AgencyView, QueueQueryDto, TaskPageView } from './agency.dto';

@Injectable()
export class AgenciesService {
  constructor(private readonly read: ReadRepository) {}

  async list(): Promise<AgencyView[]> {
    const rows = await this.read.listAgencies();
    return rows.filter((a) => a.active).map(({ code, name, description }) => ({ code, name, description }));
  }

  async queue(code: string, query: QueueQueryDto): Promise<TaskPageView> {
    const agency = await this.read.findAgency(code);
    if (!agency) throw new NotFoundException(`no agency with code '${code}'`);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    if (query.cursor !== undefined && !after) {
      throw badRequest([{ field: 'cursor', reason: 'is not a cursor this API handed out' }]);
    }
    return this.read.agencyQueue(code, query.limit ?? 50, after);
  }
}
