// The workflow interceptor modules, bundled into the workflow code with it: by the worker when it bundles workflows/
// itself, and by whoever prebuilds a bundle (test/global-setup.ts) through bundleWorkflowCode's
// workflowInterceptorModules.
export const WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('../../../workflows/request-id.interceptors')];
