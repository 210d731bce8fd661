// Build step: writes dist/workflow-definition.schema.json from the compiled zod schema.
import { writeFileSync } from 'node:fs';
import { URL } from 'node:url';
import { workflowDefinitionJsonSchema } from '../dist/index.js';

const target = new URL('../dist/workflow-definition.schema.json', import.meta.url);
writeFileSync(target, JSON.stringify(workflowDefinitionJsonSchema(), null, 2) + '\n');
