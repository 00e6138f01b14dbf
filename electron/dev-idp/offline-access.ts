/**
 * Which sign-ins asked for `offline_access`.
 *
 * oidc-provider drops `offline_access` from any authorization request without prompt=consent
 * (OpenID Connect Core section 11; lib/actions/authorization/scopes.js), and its maintainer's
 * advice is to issue refresh tokens through `issueRefreshToken` instead. Here a native client sees
 * the consent page on every sign-in anyway (oidc-provider's `native_client_prompt` check), so the
 * user does consent; we only need to remember that the app asked. The raw request is seen once,
 * when the first interaction starts; later steps of the same sign-in share its `cid`.
 */
export class OfflineAccessRequests {
  private readonly chains = new Set<string>();
  private readonly grants = new Set<string>();

  /** At the start of a sign-in: `scope` is the raw, unfiltered request parameter. */
  noteRequest(cid: string, scope: unknown): void {
    if (typeof scope === 'string' && scope.split(' ').includes('offline_access')) this.chains.add(cid);
  }

  requested(cid: string): boolean {
    return this.chains.has(cid);
  }

  /** When the user consents: the grant's refresh-token right follows the latest request. */
  recordConsent(cid: string, grantId: string): void {
    if (this.chains.delete(cid)) this.grants.add(grantId);
    else this.grants.delete(grantId);
  }

  grantsOfflineAccess(grantId: string | undefined): boolean {
    return grantId !== undefined && this.grants.has(grantId);
  }
}
