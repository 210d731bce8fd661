// The language half of the public API: interpreter, definition validation, actions, hashing.
export { validateAgainstJsonSchema, type JsonSchemaIssue, type JsonSchemaResult } from './json-schema/validate-json-schema.js';
export * from './interpreter/index.js';
export { canonicalJson, contentHash, sha256Hex, unitIntervalOf, uuidFromName, NotJsonError } from './hashing/content-hash.js';
