import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Can } from '../core/actor';
import { ReconciliationView } from './reconciliation.dto';
import { ReconciliationService } from './reconciliation.service';

@ApiTags('administration')
@Controller('admin/reconciliation')
export class ReconciliationController {
  constructor(private readonly reconciliation: ReconciliationService) {}

  @Post()
  @HttpCode(200)
  @Can('admin.reconcile')
  @ApiOkResponse({
    type: ReconciliationView,
    description: 'Every open pathway compared with its workflow; what drifted is repaired from the workflow',
  })
  @ApiServiceUnavailableResponse({
    description: 'WORKER_UNAVAILABLE (no worker runs), or Temporal or the database does not answer in time',
  })
  run(): Promise<ReconciliationView> {
    return this.reconciliation.run();
  }
}
