import type { RolloutGate, ShadowFigures } from '@baton/event-schemas';

/** Whether a rollout gate is met, and each unmet condition in words. */
export interface RolloutGateVerdict {
  readonly met: boolean;
  readonly failures: readonly string[];
}

/**
 * Judges the shadow figures against a rollout gate: at least `minCompared` finished comparisons, a
 * discrepancy rate at most `maxDiscrepancyRate`, and, when `maxLatencyRatio` is given, a measured
 * latency ratio (Temporal shadow p50 over Postgres primary p50) at most it; a ratio that could not
 * be measured does not meet a latency gate.
 */
export function evaluateRolloutGate(gate: RolloutGate, figures: ShadowFigures): RolloutGateVerdict {
  const failures: string[] = [];
  if (figures.compared < gate.minCompared) failures.push(`compared ${figures.compared} < minCompared ${gate.minCompared}`);
  if (figures.discrepancyRate > gate.maxDiscrepancyRate) failures.push(`discrepancyRate ${figures.discrepancyRate} > maxDiscrepancyRate ${gate.maxDiscrepancyRate}`);
  if (gate.maxLatencyRatio !== undefined) {
    const ratio = figures.latency.ratio;
    if (ratio === null) failures.push(`latency ratio not measured (maxLatencyRatio ${gate.maxLatencyRatio})`);
    else if (ratio > gate.maxLatencyRatio) failures.push(`latency ratio ${ratio} > maxLatencyRatio ${gate.maxLatencyRatio}`);
  }
  return { met: failures.length === 0, failures };
}
