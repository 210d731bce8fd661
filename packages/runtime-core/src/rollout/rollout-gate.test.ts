import { describe, expect, it } from 'vitest';
import type { ShadowFigures } from '@baton/event-schemas';
import { evaluateRolloutGate } from './rollout-gate.js';

const figures = (over: Partial<ShadowFigures> = {}, ratio: number | null = 1.5): ShadowFigures => ({
  compared: 200,
  matched: 199,
  different: 1,
  pending: 3,
  discrepancyRate: 0.005,
  latency: { primaryP50Ms: 100, shadowP50Ms: ratio === null ? null : 100 * ratio, ratio },
  ...over,
});

describe('evaluateRolloutGate', () => {
  const gate = { minCompared: 100, maxDiscrepancyRate: 0.01, maxLatencyRatio: 2 };

  it('is met when enough runs were compared, few differed and the latency ratio is within bounds', () => {
    expect(evaluateRolloutGate(gate, figures())).toEqual({ met: true, failures: [] });
    expect(evaluateRolloutGate(gate, figures({ compared: 100, discrepancyRate: 0.01 }, 2))).toEqual({ met: true, failures: [] });
  });

  it('names every unmet condition', () => {
    const verdict = evaluateRolloutGate(gate, figures({ compared: 3, discrepancyRate: 1 / 3 }, 2.5));
    expect(verdict.met).toBe(false);
    expect(verdict.failures).toEqual(['compared 3 < minCompared 100', `discrepancyRate ${1 / 3} > maxDiscrepancyRate 0.01`, 'latency ratio 2.5 > maxLatencyRatio 2']);
  });

  it('does not meet a latency gate it cannot measure, and ignores latency without maxLatencyRatio', () => {
    expect(evaluateRolloutGate(gate, figures({}, null)).failures).toEqual(['latency ratio not measured (maxLatencyRatio 2)']);
    expect(evaluateRolloutGate({ minCompared: 100, maxDiscrepancyRate: 0.01 }, figures({}, null))).toEqual({ met: true, failures: [] });
    expect(evaluateRolloutGate({ minCompared: 100, maxDiscrepancyRate: 0.01 }, figures({}, 50))).toEqual({ met: true, failures: [] });
  });

  it('is not met with nothing compared unless minCompared is 0', () => {
    const none = figures({ compared: 0, matched: 0, different: 0, discrepancyRate: 0 }, null);
    expect(evaluateRolloutGate({ minCompared: 1, maxDiscrepancyRate: 1 }, none).met).toBe(false);
    expect(evaluateRolloutGate({ minCompared: 0, maxDiscrepancyRate: 0 }, none).met).toBe(true);
  });
});
