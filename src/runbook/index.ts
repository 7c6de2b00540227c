export * from './types.js';
export { RunbookError } from './errors.js';
export { loadRunbook } from './load.js';
export { runbookJsonSchema } from './json-schema.js';
