import { useId, useState, type FormEvent } from 'react';
import type { ErrorValue } from '../contract-types.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { ScreenHeading } from '../components/ScreenHeading.js';
import { useSession } from '../session/session-context.js';

type Call = { state: 'idle' } | { state: 'calling' } | { state: 'done'; json: string } | { state: 'failed'; error: ErrorValue };

/** `#/api`: a GET to the provider's API, made by main with the access token this screen never sees. */
export function ApiScreen() {
  const { appInfo, provider } = useSession();
  // Start from the provider's own example (`me` for the dev provider's userinfo, `user` for GitHub).
  const [path, setPath] = useState(provider?.apiExamplePath ?? '');
  const [call, setCall] = useState<Call>({ state: 'idle' });
  const inputId = useId();
  const hintId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setCall({ state: 'calling' });
    const result = await window.auth.api.get(path.trim());
    setCall(result.ok ? { state: 'done', json: JSON.stringify(result.value ?? null, null, 2) } : { state: 'failed', error: result.error });
  };

  return (
    <>
      <ScreenHeading title="API" appName={appInfo.name} />
      {!provider?.hasApi ? (
        <section className="card">
          <p data-testid="no-api">
            {provider?.label ?? 'This provider'} has no API set up in this app, so there is nothing to call. Sign in with a provider that has one
            to try it.
          </p>
        </section>
      ) : (
        <section className="card">
          <form className="api-form" onSubmit={(event) => void submit(event)}>
            <label htmlFor={inputId}>API path</label>
            <div className="api-row">
              <input
                id={inputId}
                type="text"
                value={path}
                required
                spellCheck={false}
                autoComplete="off"
                aria-describedby={hintId}
                onChange={(event) => setPath(event.currentTarget.value)}
              />
              <button type="submit" className="button button-primary" disabled={call.state === 'calling' || !path.trim()}>
                Call the API
              </button>
            </div>
            <p id={hintId} className="hint">
              A path under {provider.label}’s API{provider.apiExamplePath && <>, such as <code>{provider.apiExamplePath}</code></>}. The app adds
              your access token; you never see it.
            </p>
          </form>
          <div role="status">{call.state === 'calling' && <p>Calling…</p>}</div>
          {call.state === 'failed' && <ErrorNotice error={call.error} lead="The call failed." />}
          {call.state === 'done' && (
            <pre className="api-answer" tabIndex={0} aria-label="API answer" data-testid="api-answer">
              {call.json}
            </pre>
          )}
        </section>
      )}
    </>
  );
}
