import type { EnginePolicy, PolicyChange, RollbackPolicy, RolloutGate, ShadowFigures, ShadowPolicy, ShadowReport, WorkflowPolicy } from '@baton/event-schemas';
import { formatTable } from './format-table.js';

/** Temporal's share of new runs under an engine policy, as the ingress counts it (`undefined`: no policy, the ingress default decides). */
export function temporalShare(policy: EnginePolicy | undefined): number | undefined {
  if (!policy) return undefined;
  return policy.type === 'db' ? 0 : policy.type === 'temporal' ? 100 : policy.temporalPercent;
}

const share = (policy: EnginePolicy | undefined): string => {
  const n = temporalShare(policy);
  return n === undefined ? 'default' : `${n}%`;
};

const pct = (rate: number): string => `${Math.round(rate * 10_000) / 100}%`;
const ms = (value: number | null): string => (value === null ? '-' : `${Math.round(value * 10) / 10} ms`);
const ratio = (value: number | null): string => (value === null ? 'not measured' : String(Math.round(value * 100) / 100));

/** `shadow: {percent, engine?}` in words. */
export function describeShadow(shadow: ShadowPolicy | undefined): string {
  if (!shadow) return 'off';
  return `${shadow.percent}% of new runs, on ${shadow.engine ?? 'the engine the primary is not on'}`;
}

/** `rolloutGate` in words. */
export function describeGate(gate: RolloutGate | undefined): string {
  if (!gate) return 'none (raising the Temporal share is not gated)';
  const parts = [`minCompared ${gate.minCompared}`, `maxDiscrepancyRate ${pct(gate.maxDiscrepancyRate)}`];
  if (gate.maxLatencyRatio !== undefined) parts.push(`maxLatencyRatio ${gate.maxLatencyRatio}`);
  return parts.join(', ');
}

/** `rollback` in words. */
export function describeRollback(rollback: RollbackPolicy | undefined): string {
  if (!rollback) return 'off (no automatic rollback)';
  return `minRuns ${rollback.minRuns}, maxErrorRateRatio ${rollback.maxErrorRateRatio}, maxP99LatencyRatio ${rollback.maxP99LatencyRatio}`;
}

/** The comparison figures (the shadow report without its differences, or a 409's `measured`) as lines. */
export function formatFigures(figures: ShadowFigures): string[] {
  return [
    `compared ${figures.compared} (matched ${figures.matched}, different ${figures.different}), pending ${figures.pending}, discrepancy rate ${pct(figures.discrepancyRate)}`,
    `latency p50 primary ${ms(figures.latency.primaryP50Ms)}, shadow ${ms(figures.latency.shadowP50Ms)}, ratio ${ratio(figures.latency.ratio)}`,
  ];
}

/** What a policy change changed, in a few words: the Temporal share first, then the other fields by name. */
export function describeChange(from: WorkflowPolicy | null, to: WorkflowPolicy): string {
  const parts: string[] = [];
  if (JSON.stringify(from?.engine) !== JSON.stringify(to.engine)) parts.push(`temporal ${share(from?.engine)} -> ${share(to.engine)}`);
  const fields = ['versionPolicy', 'shadow', 'rolloutGate', 'rollback'] as const;
  for (const field of fields) if (JSON.stringify(from?.[field]) !== JSON.stringify(to[field])) parts.push(field);
  return parts.join(', ') || 'no change';
}

/** The policy history as a table, newest first. */
export function formatHistory(history: readonly PolicyChange[]): string {
  if (!history.length) return 'no policy changes recorded';
  return formatTable(
    ['AT', 'ACTOR', 'CHANGE', 'FORCED', 'REASON'],
    history.map((h) => [h.at, h.actor, describeChange(h.from, h.to), h.forced ? 'yes' : 'no', h.reason ?? '']),
  );
}

/** A JSON value shortened for a table cell. */
export function cell(value: unknown, max = 40): string {
  const text = value === undefined ? '-' : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The shadow report: its figures, then its differences as a table (newest first). */
export function formatShadowReport(report: ShadowReport): string[] {
  const lines = formatFigures(report);
  if (!report.differences.length) return [...lines, report.compared ? 'no differences' : 'nothing compared yet'];
  return [
    ...lines,
    '',
    formatTable(
      ['RUN', 'SHADOW RUN', 'PATH', 'FIELD', 'PRIMARY', 'SHADOW'],
      report.differences.map((d) => [d.runId, d.shadowRunId, d.path, d.field, cell(d.primary), cell(d.shadow)]),
    ),
  ];
}

/** The details of a 409 `ROLLOUT_GATE_NOT_MET` as lines under the error line. */
export function formatGateRefusal(details: Readonly<Record<string, unknown>>): string[] {
  const lines: string[] = [];
  const from = details['fromTemporalPercent'];
  const to = details['toTemporalPercent'];
  if (typeof from === 'number' && typeof to === 'number') lines.push(`  change    temporal ${from}% -> ${to}%`);
  const gate = details['gate'] as RolloutGate | undefined;
  if (gate && typeof gate === 'object') lines.push(`  gate      ${describeGate(gate)}`);
  const measured = details['measured'] as ShadowFigures | undefined;
  if (measured && typeof measured === 'object' && measured.latency) {
    const [counts, latency] = formatFigures(measured);
    lines.push(`  measured  ${counts}`, `            ${latency}`);
  }
  const failures = Array.isArray(details['failures']) ? (details['failures'] as unknown[]).map(String) : [];
  failures.forEach((f, i) => lines.push(`  ${i === 0 ? 'unmet' : '     '}     ${f}`));
  lines.push('  hint: let more shadow runs be compared, or pass --force to override (recorded as forced in the policy history)');
  return lines;
}
