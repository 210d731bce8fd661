import { describe, expect, it } from 'vitest';
import { formatIssues, formatPath } from './format-issues.js';

describe('formatPath', () => {
  it('prints indexes in brackets and odd keys quoted', () => {
    expect(formatPath(['steps', 2, 'then', 0, 'condition'])).toBe('steps[2].then[0].condition');
    expect(formatPath(['assign', 'vars.a'])).toBe('assign["vars.a"]');
    expect(formatPath([])).toBe('');
    expect(formatPath([0, 'x'])).toBe('[0].x');
  });
});

describe('formatIssues', () => {
  it('prints one line per issue, (root) for an empty path', () => {
    expect(formatIssues([{ path: ['steps', 1, 'id'], message: 'bad' }, { path: [], message: 'top' }])).toBe('steps[1].id: bad\n(root): top');
  });
});
