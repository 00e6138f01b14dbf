/**
 * The IdP's own login and consent steps (oidc-provider's "interactions"): a page per prompt, a
 * POST per answer, finished through `interactionFinished` so the provider resumes the request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors, type Interaction, type InteractionResults, type Provider } from 'oidc-provider';
import { z } from 'zod';
import type { Logger } from '../auth/logger.js';
import { authenticate, DEMO_ACCOUNTS, findDemoAccount, type DemoAccountId } from './accounts.js';
import { FormBodyError, readFormBody } from './form-body.js';
import { formTargetFor, sendHtml } from './html.js';
import type { OfflineAccessRequests } from './offline-access.js';
import { consentPage, loginPage, messagePage } from './pages.js';

export interface InteractionOptions {
  readonly provider: Provider;
  readonly clientName: string;
  readonly autoLogin: () => DemoAccountId | undefined;
  readonly offlineAccess: OfflineAccessRequests;
  readonly logger: Logger;
}

export type Action = 'show' | 'login' | 'confirm' | 'abort';

const ROUTE = /^\/interaction\/([A-Za-z0-9_-]{1,128})(?:\/(login|confirm|abort))?$/;

/** The interaction a path addresses, or undefined when the path is not an interaction route. */
export function matchInteractionRoute(path: string): { uid: string; action: Action } | undefined {
  const match = ROUTE.exec(path);
  if (!match?.[1]) return undefined;
  const action = (match[2] ?? 'show') as Action;
  return { uid: match[1], action };
}

const loginFormSchema = z.object({ username: z.string().max(200), password: z.string().max(200) });

// What oidc-provider's consent prompt reports as not granted yet (interaction_policy/prompts/consent.js).
const consentDetailsSchema = z.object({
  missingOIDCScope: z.array(z.string()).optional(),
  missingOIDCClaims: z.array(z.string()).optional(),
  missingResourceScopes: z.record(z.string(), z.array(z.string())).optional(),
});

const paramString = (value: unknown): string => (typeof value === 'string' ? value : '');

async function grantConsent(provider: Provider, offlineAccess: OfflineAccessRequests, interaction: Interaction): Promise<string> {
  const accountId = interaction.session?.accountId;
  if (!accountId) throw new errors.SessionNotFound('consent without a signed-in account');
  const existing = interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined;
  const grant = existing ?? new provider.Grant({ accountId, clientId: paramString(interaction.params['client_id']) });
  const missing = consentDetailsSchema.parse(interaction.prompt.details);
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(resource, scopes.join(' '));
  }
  const grantId = await grant.save();
  offlineAccess.recordConsent(interaction.cid, grantId);
  return grantId;
}

export type InteractionHandler = (req: IncomingMessage, res: ServerResponse, route: { uid: string; action: Action }) => Promise<void>;

export function createInteractionHandler(options: InteractionOptions): InteractionHandler {
  const { provider, logger } = options;

  const finish = (req: IncomingMessage, res: ServerResponse, result: InteractionResults, merge: boolean): Promise<void> =>
    provider.interactionFinished(req, res, result, { mergeWithLastSubmission: merge });

  /** Signs the automation account in, or grants what it was asked for, without showing a page. */
  async function completeAutomatically(req: IncomingMessage, res: ServerResponse, interaction: Interaction, accountId: DemoAccountId): Promise<void> {
    if (interaction.prompt.name === 'login') return finish(req, res, { login: { accountId } }, false);
    return finish(req, res, { consent: { grantId: await grantConsent(provider, options.offlineAccess, interaction) } }, true);
  }

  async function handle(req: IncomingMessage, res: ServerResponse, uid: string, action: Action): Promise<void> {
    const interaction = await provider.interactionDetails(req, res);
    // The cookie names the interaction; a URL for another one is stale or forged.
    if (interaction.uid !== uid) throw new errors.SessionNotFound('interaction uid mismatch');
    const prompt = interaction.prompt.name;
    const formTargets = [formTargetFor(interaction.params['redirect_uri'])].filter((t): t is string => t !== undefined);
    const page = { uid, clientName: options.clientName, formTargets };

    if (action === 'abort') {
      req.resume();
      logger.info('dev IdP: user cancelled', { prompt });
      return finish(req, res, { error: 'access_denied', error_description: 'The user cancelled the request.' }, false);
    }

    if (action === 'show') {
      const auto = options.autoLogin();
      if (auto !== undefined) return completeAutomatically(req, res, interaction, auto);
      if (prompt === 'login') return sendHtml(res, loginPage({ ...page, accounts: DEMO_ACCOUNTS }));
      if (prompt === 'consent') {
        const account = findDemoAccount(interaction.session?.accountId ?? '');
        const scopes = paramString(interaction.params['scope']).split(' ').filter(Boolean);
        if (options.offlineAccess.requested(interaction.cid) && !scopes.includes('offline_access')) scopes.push('offline_access');
        return sendHtml(res, consentPage({ ...page, accountName: account?.name ?? 'unknown', scopes }));
      }
      return sendHtml(res, messagePage(400, 'Unsupported step', `This provider cannot handle the "${prompt}" step.`));
    }

    if (action === 'login' && prompt === 'login') {
      const form = loginFormSchema.safeParse(Object.fromEntries(await readFormBody(req)));
      if (!form.success) return sendHtml(res, loginPage({ ...page, accounts: DEMO_ACCOUNTS, error: 'Enter a username and a password.' }));
      const account = authenticate(form.data.username, form.data.password);
      if (!account) {
        logger.info('dev IdP: wrong username or password');
        return sendHtml(res, loginPage({ ...page, accounts: DEMO_ACCOUNTS, error: 'Wrong username or password.', username: form.data.username }));
      }
      return finish(req, res, { login: { accountId: account.id } }, false);
    }

    if (action === 'confirm' && prompt === 'consent') {
      req.resume();
      return finish(req, res, { consent: { grantId: await grantConsent(provider, options.offlineAccess, interaction) } }, true);
    }

    req.resume();
    return sendHtml(res, messagePage(400, 'Out of step', 'This form does not belong to the current step. Go back to the app and start again.'));
  }

  return async (req, res, route) => {
    const expectedMethod = route.action === 'show' ? 'GET' : 'POST';
    if (req.method !== expectedMethod) {
      req.resume();
      res.writeHead(405, { allow: expectedMethod }).end();
      return;
    }
    try {
      await handle(req, res, route.uid, route.action);
    } catch (error) {
      if (res.headersSent) throw error;
      if (error instanceof errors.SessionNotFound) {
        sendHtml(res, messagePage(400, 'Sign-in expired', 'This sign-in request has expired or is already finished. Go back to the app and start again.'));
      } else if (error instanceof FormBodyError) {
        sendHtml(res, messagePage(error.status, 'Bad request', error.message));
      } else {
        logger.error('dev IdP: interaction failed', { error });
        sendHtml(res, messagePage(500, 'Something went wrong', 'The development identity provider failed. The details are in its log.'));
      }
    }
  };
}
