import { batonProject } from '../../vitest.shared.js';

export default batonProject(import.meta.dirname, { services: ['temporal'] });
