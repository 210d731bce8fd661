import type { ActionCatalog } from '../definition-validation/semantic-checks.js';
import type { ActionDescriptor } from './describe-action.js';

/** A publish-time {@link ActionCatalog} over action descriptors (the built-ins plus a live catalog): ids, versions and input schemas. */
export function actionCatalogOf(descriptors: Iterable<Pick<ActionDescriptor, 'action' | 'version' | 'inputSchema'>>): ActionCatalog {
  const schemas = new Map<string, unknown>();
  for (const d of descriptors) if (!schemas.has(`${d.action}@${d.version}`)) schemas.set(`${d.action}@${d.version}`, d.inputSchema);
  return {
    has: (id, version) => schemas.has(`${id}@${version}`),
    inputSchemaOf: (id, version) => schemas.get(`${id}@${version}`),
  };
}
