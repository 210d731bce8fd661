import { batonProject } from '../../vitest.shared.js';

export default batonProject(import.meta.dirname, { services: ['postgres', 'redis', 'temporal'], testTimeout: 120_000 });
