import type { ReactNode } from 'react';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function scalar(value: Exclude<Json, Json[] | { [key: string]: Json }>): ReactNode {
  if (value === null) return <span className="json-null">null</span>;
  if (typeof value === 'string') return <span className="json-string">{JSON.stringify(value)}</span>;
  return <span className="json-literal">{String(value)}</span>;
}

function JsonNode({ name, value, depth }: { name: string; value: Json; depth: number }) {
  if (value === null || typeof value !== 'object') {
    return (
      <li>
        <span className="json-key">{name}</span>: {scalar(value)}
      </li>
    );
  }
  const entries: Array<[string, Json]> = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  const summary = Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`;
  return (
    <li>
      <details open={depth < 2}>
        <summary>
          <span className="json-key">{name}</span> <span className="json-count">{summary}</span>
        </summary>
        <ul className="json-tree">
          {entries.map(([k, v]) => (
            <JsonNode key={k} name={k} value={v} depth={depth + 1} />
          ))}
        </ul>
      </details>
    </li>
  );
}

/** A collapsible JSON tree: native `<details>`, so every node opens and closes by keyboard. */
export function JsonViewer({ label, value }: { label: string; value: unknown }) {
  if (value === undefined) return <p className="muted">{label}: none</p>;
  return (
    <ul className="json-tree json-root" aria-label={label}>
      <JsonNode name={label} value={value as Json} depth={0} />
    </ul>
  );
}
