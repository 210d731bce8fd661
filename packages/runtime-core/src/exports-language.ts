export { validateAgainstJsonSchema, type JsonSchemaIssue, type JsonSchemaResult } from './json-schema/validate-json-schema.js';
export * from './interpreter/protocol.js';
export { STATE_FORMAT, type InterpreterState } from './interpreter/state.js';
