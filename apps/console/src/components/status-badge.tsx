/** A run, step, task or event status as a labelled badge (text, not only colour). */
export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${status.toLowerCase()}`}>{status}</span>;
}
