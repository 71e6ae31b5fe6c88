// The workflows bundle for Temporal's sandbox without a single warning: a warning there usually means a Node
// built-in or a non-deterministic module slipped into workflow code.
import { bundleWorkflowCode } from '@temporalio/worker';

describe('workflow bundle', () => {
  it('bundles workflows/ with no warnings or errors', async () => {
    const problems: string[] = [];
    const record = (message: string) => problems.push(message);
    const { code } = await bundleWorkflowCode({
      workflowsPath: require.resolve('../../workflows'),
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
    // Nothing of the database, the HTTP framework or the client made it into the sandbox.
    for (const forbidden of ['typeorm', '@nestjs/core', 'node:crypto', 'pg-pool'])
      expect(code).not.toContain(forbidden);
  }, 60000);
});
