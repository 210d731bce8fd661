export { JsonValue, type JsonObject } from './json-value.js';
