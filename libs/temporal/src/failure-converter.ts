// The failure converter of the client, the worker and the workflow sandbox (loaded there by path: client.ts's
// dataConverter gives it as failureConverterPath, and a prebuilt bundle names it to bundleWorkflowCode). A failure's
// message and stack trace move into a payload, which the codec encrypts: an error message that quotes a value never
// reaches the Temporal server, its database or its UI in clear.
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
