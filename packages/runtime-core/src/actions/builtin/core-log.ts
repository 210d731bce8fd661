import { JsonValue } from '@baton/event-schemas';
import { z } from 'zod';
import { defineAction } from '../action-definition.js';

/** `core.log@1`: writes a log line through the worker's logger (console when none). */
export const coreLog = defineAction({
  id: 'core.log',
  version: 1,
  description: 'Writes a log line; returns {logged: true}',
  input: z.strictObject({
    message: z.string(),
    level: z.enum(['debug', 'info', 'warn', 'error']).optional(),
    fields: z.record(z.string(), JsonValue).optional(),
  }),
  output: z.object({ logged: z.literal(true) }),
  handler: (input, context) => {
    const level = input.level ?? 'info';
    const fields = { ...input.fields, runId: context.runId, stepId: context.stepId, tenant: context.tenant };
    if (context.logger) context.logger.log(level, input.message, fields);
    else console[level](input.message, fields);
    return { logged: true as const };
  },
});
