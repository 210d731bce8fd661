/** Where a correlation key came from: the envelope, a configured payload path, or nowhere. */
export const CorrelationSource = {
  EXPLICIT: 'explicit',
  DERIVED: 'derived',
  MISSING: 'missing',
} as const;
export type CorrelationSource = (typeof CorrelationSource)[keyof typeof CorrelationSource];
