import { ApiError } from '../api/api-error.js';

/** An API refusal as the API typed it: code, message, hint and validation issues. */
export function ErrorNotice({ error }: { error: unknown }) {
  if (!error) return null;
  if (!(error instanceof ApiError)) {
    return (
      <div role="alert" className="notice notice-error">
        {error instanceof Error ? error.message : String(error)}
      </div>
    );
  }
  return (
    <div role="alert" className="notice notice-error">
      <p>
        <code className="error-code">{error.code}</code> {error.message}
      </p>
      {error.hint ? (
        <p className="hint">
          <strong>Hint:</strong> {error.hint}
        </p>
      ) : null}
      {error.issues.length ? (
        <ul>
          {error.issues.map((issue, i) => (
            <li key={i}>
              <code>{issue.path}</code>: {issue.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
