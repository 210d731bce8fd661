import { batonProject } from '../../vitest.shared.js';

export default batonProject(import.meta.dirname, {
  services: ['postgres', 'redis', 'temporal'],
  testTimeout: 60_000,
  test: { setupFiles: ['./vitest.setup.ts'] },
});
