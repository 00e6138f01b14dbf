import { useId } from 'react';
import type { ProviderSummary, StorageProtection } from '../../contract-types.js';

interface Props {
  readonly providers: readonly ProviderSummary[];
  readonly storage: StorageProtection;
  readonly remember: boolean;
  readonly onRememberChange: (remember: boolean) => void;
  readonly onChoose: (providerId: string) => void;
}

/** One button per provider, and whether to keep the session on this device. */
export function ProviderChoice({ providers, storage, remember, onRememberChange, onChoose }: Props) {
  const checkboxId = useId();
  const hintId = useId();
  return (
    <div className="provider-choice">
      <ul className="provider-list">
        {providers.map((provider) => (
          <li key={provider.id}>
            <button type="button" className="button button-primary button-wide" onClick={() => onChoose(provider.id)}>
              Sign in with {provider.label}
            </button>
          </li>
        ))}
      </ul>
      <div className="remember">
        <input
          id={checkboxId}
          type="checkbox"
          checked={storage.canRemember && remember}
          disabled={!storage.canRemember}
          aria-describedby={hintId}
          onChange={(event) => onRememberChange(event.currentTarget.checked)}
        />
        <label htmlFor={checkboxId}>Keep me signed in</label>
        <p id={hintId} className="hint">
          {storage.canRemember
            ? 'Your session is kept encrypted on this device, so you stay signed in after a restart.'
            : (storage.reason ?? 'This device cannot keep your session safely, so you will sign in each time.')}
        </p>
      </div>
    </div>
  );
}
