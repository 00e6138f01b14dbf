import { errorText, signedOutText } from '../../messages.js';
import { useSession } from '../../session/session-context.js';

/** Why someone is here: a session that ended, a sign-out they made, or a setup problem to know about. */
export function SignInNotices() {
  const { snapshot, appInfo, lastSignOut } = useSession();
  const reason = snapshot.signedOutReason;
  return (
    <>
      {appInfo.protocolProblem && (
        <div className="notice notice-warning" data-testid="protocol-problem">
          <p>
            <strong>Warning: </strong>
            {errorText('protocol_registration_failed')}
          </p>
          <p className="detail">{appInfo.protocolProblem}</p>
        </div>
      )}
      <div role="status" className="status-region">
        {reason && (
          <p className="notice notice-info" data-testid="signed-out-reason">
            {signedOutText(reason)}
          </p>
        )}
        {!reason && lastSignOut && (
          <p className="notice notice-info">
            You’re signed out.
            {lastSignOut.revocationError && ' The provider could not be told to forget this session, so it may still be valid there.'}
            {lastSignOut.endSessionOpened && ' Your browser was opened to sign you out of the provider too.'}
          </p>
        )}
      </div>
    </>
  );
}
