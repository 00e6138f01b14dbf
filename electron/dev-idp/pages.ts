/** The IdP's pages: sign in, consent, sign out, and a plain message for errors. */
import type { DemoAccount } from './accounts.js';
import { escapeHtml, layout, type HtmlPage } from './html.js';

const SCOPE_DESCRIPTIONS: Record<string, string> = {
  openid: 'Know which account you signed in with',
  profile: 'See your name and profile picture',
  email: 'See your email address',
  offline_access: 'Keep you signed in on this device until you sign out',
};

const interactionPath = (uid: string, action: string): string => `/interaction/${encodeURIComponent(uid)}/${action}`;

function cancelForm(uid: string, label: string): string {
  return `<form method="post" action="${interactionPath(uid, 'abort')}"><button type="submit" class="secondary">${label}</button></form>`;
}

export function loginPage(options: {
  uid: string;
  clientName: string;
  accounts: readonly DemoAccount[];
  formTargets: readonly string[];
  error?: string;
  username?: string;
}): HtmlPage {
  const { uid, error } = options;
  const errorId = 'login-error';
  const described = error ? ` aria-describedby="${errorId}" aria-invalid="true"` : '';
  const rows = options.accounts
    .map((a) => `<tr><td><code>${escapeHtml(a.username)}</code></td><td><code>${escapeHtml(a.password)}</code></td><td>${escapeHtml(a.name)}</td></tr>`)
    .join('');
  const content = `<h1>Sign in</h1>
<p>to continue to <strong>${escapeHtml(options.clientName)}</strong></p>
${error ? `<p id="${errorId}" class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form id="login" method="post" action="${interactionPath(uid, 'login')}">
<label for="username">Username</label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${escapeHtml(options.username ?? '')}"${described}${options.username ? '' : ' autofocus'}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${described}${options.username ? ' autofocus' : ''}>
</form>
<div class="actions">
<button type="submit" form="login">Sign in</button>
${cancelForm(uid, 'Cancel')}
</div>
<section aria-labelledby="demo-accounts">
<h2 id="demo-accounts">Demo accounts</h2>
<p class="note">This is the development identity provider. These accounts exist only here.</p>
<table><thead><tr><th scope="col">Username</th><th scope="col">Password</th><th scope="col">Name</th></tr></thead><tbody>${rows}</tbody></table>
</section>`;
  return { status: error ? 401 : 200, body: layout('Sign in', content), formTargets: options.formTargets };
}

export function consentPage(options: {
  uid: string;
  clientName: string;
  accountName: string;
  scopes: readonly string[];
  formTargets: readonly string[];
}): HtmlPage {
  const items = options.scopes
    .map((scope) => `<li>${escapeHtml(SCOPE_DESCRIPTIONS[scope] ?? scope)} <span class="note">(<code>${escapeHtml(scope)}</code>)</span></li>`)
    .join('');
  const content = `<h1>Allow access?</h1>
<p><strong>${escapeHtml(options.clientName)}</strong> wants to use your account <strong>${escapeHtml(options.accountName)}</strong> to:</p>
<ul>${items}</ul>
<div class="actions">
<form method="post" action="${interactionPath(options.uid, 'confirm')}"><button type="submit">Allow</button></form>
${cancelForm(options.uid, 'Deny')}
</div>`;
  return { status: 200, body: layout('Allow access', content), formTargets: options.formTargets };
}

// oidc-provider hands over its logout form (hidden xsrf input) without buttons; ours submit it.
const AUTO_SUBMIT = "document.addEventListener('DOMContentLoaded',function(){document.forms[0].submit()});";

export function logoutPage(options: { providerForm: string; host: string; automatic: boolean; formTargets: readonly string[] }): HtmlPage {
  if (options.automatic) {
    const form = options.providerForm.replace('</form>', '<input type="hidden" name="logout" value="yes"/></form>');
    const content = `<h1>Signing out…</h1>${form}<noscript><button type="submit" form="op.logoutForm">Continue</button></noscript>`;
    return { status: 200, body: layout('Sign out', content, [AUTO_SUBMIT]), formTargets: options.formTargets, scripts: [AUTO_SUBMIT] };
  }
  const content = `<h1>Sign out?</h1>
<p>Do you want to sign out of the development identity provider at <strong>${escapeHtml(options.host)}</strong>?</p>
${options.providerForm}
<div class="actions">
<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Yes, sign me out</button>
<button type="submit" form="op.logoutForm" class="secondary">No, stay signed in</button>
</div>`;
  return { status: 200, body: layout('Sign out', content), formTargets: options.formTargets };
}

export function messagePage(status: number, title: string, message: string): HtmlPage {
  return { status, body: layout(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`) };
}
