import { initialSchema } from './0001-initial-schema.js';
import { actionCatalog } from './0004-action-catalog.js';
import type { Migration } from './migration.js';

/** Every migration the code knows, in the order they apply. Append only; never edit or reorder a released one. */
export const MIGRATIONS: readonly Migration[] = [initialSchema, actionCatalog];
