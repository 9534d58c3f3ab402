// zod's `z.locales` namespace pulls in every translation of its error messages (about 260 KB of the
// bundle). Agent Harness shows validation errors in English only, so the bundles carry just `en`.
export { default as en } from 'zod/v4/locales/en.js';
