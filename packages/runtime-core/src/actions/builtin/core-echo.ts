import { JsonValue } from '@baton/event-schemas';
import { defineAction } from '../action-definition.js';

/** `core.echo@1`: returns its input. */
export const coreEcho = defineAction({
  id: 'core.echo',
  version: 1,
  description: 'Returns its input unchanged',
  input: JsonValue,
  output: JsonValue,
  handler: (input) => input,
});
