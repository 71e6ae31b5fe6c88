// The workflows bundle for Temporal's sandbox without a single warning: a warning there usually means a Node
// built-in or a non-deterministic module slipped into workflow code.
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../../apps/worker/src/workflow-interceptors';
import { FAILURE_CONVERTER_PATH } from '../../libs/temporal/src/client';

describe('workflow bundle', () => {
  it('bundles workflows/ and its interceptors with no warnings or errors', async () => {
    const problems: string[] = [];
    const record = (message: string) => problems.push(message);
    const { code } = await bundleWorkflowCode({
      workflowsPath: require.resolve('../../workflows'),
      workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
      // The worker's failure converter (encrypted failure messages) runs in the sandbox too.
      failureConverterPath: FAILURE_CONVERTER_PATH,
      logger: {
        log: () => undefined,
        trace: () => undefined,
        debug: () => undefined,
        info: () => undefined,
        warn: record,
        error: record,
      },
    });
    expect(problems).toEqual([]);
    expect(code).toContain('pathwayWorkflow');
    expect(code).toContain('exit-request-id');
    expect(code).toContain('encodeCommonAttributes: true');
    // Nothing of the database, the HTTP framework or the client made it into the sandbox.
    for (const forbidden of ['typeorm', '@nestjs/core', 'node:crypto', 'pg-pool'])
      expect(code).not.toContain(forbidden);
  }, 60000);
});
