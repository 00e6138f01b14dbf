import type { ErrorValue } from '../contract-types.js';
import { errorDetail, errorText } from '../messages.js';

/** An error in plain words (role="alert"), the provider's own message as detail, and an optional retry. */
export function ErrorNotice({ error, lead, onRetry }: { error: ErrorValue; lead?: string; onRetry?: () => void }) {
  const detail = errorDetail(error);
  return (
    <div role="alert" className="notice notice-error" data-testid="error" data-code={error.code}>
      <p>
        {lead && <strong>{lead} </strong>}
        {errorText(error.code)}
      </p>
      {detail && <p className="detail">Details: {detail}</p>}
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
