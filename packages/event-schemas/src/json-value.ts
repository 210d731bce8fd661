import { z } from 'zod';

/** Any JSON value: what runs take as input, what actions and expressions produce. */
export const JsonValue = z.json().meta({ id: 'JsonValue' });
export type JsonValue = z.infer<typeof JsonValue>;

/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };
