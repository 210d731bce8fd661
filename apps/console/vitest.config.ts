import { batonProject } from '../../vitest.shared.js';

// The e2e test drives the built console in Chromium against a real ingress and Postgres worker.
export default batonProject(import.meta.dirname, {
  services: ['postgres', 'temporal'],
  testTimeout: 60_000,
});
