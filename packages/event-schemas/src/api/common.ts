import { z } from 'zod';

/** ISO-8601 timestamp with offset. */
export const IsoDateTime = z.iso.datetime({ offset: true }).describe('ISO-8601 timestamp');
export type IsoDateTime = z.infer<typeof IsoDateTime>;

/** A run id (path parameter and body field). */
export const RunId = z.string().min(1).max(200).describe('Run id');
export type RunId = z.infer<typeof RunId>;
