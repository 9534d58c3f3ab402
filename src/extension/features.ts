/**
 * What the extension loads on first use, as one bundle (dist/extension-features.js): the run
 * controller with the core, the SDK adapters' front, Docker and the code review. extension.js itself
 * only registers commands, views and providers, so activation parses a fraction of the product.
 */
export { AgentController } from './agentController';
export { CodeReviewFeature } from './codeReview/codeReviewFeature';
export { undoLastRun } from './run/undoLastRun';
export { chooseProvider } from './setup/setupCommands';
export { testConnection } from './setup/connectionTest';
