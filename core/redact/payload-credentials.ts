// The credentials a payload template carries as literals: members named like one
// (`"merchantApiKey":"…"`, `"client_secret":"…"`, `"password":"…"`). In a body most constants are not
// secrets (`"shop":"eg"`, `"couponKey":"SUMMER"`), so here, unlike for headers and query parameters,
// the name decides, word by word: the last word is a credential's (`secret`, `token`, `password`,
// `signature`, …), or the last two are a kind of key (`api key`, `secret key`, `private key`, …).
// A bare `key`, `keyword`, `tokenType` or `signatureAlgorithm` is not.

export interface CredentialMember {
  /** The member's name, unescaped (a GET delivery sends it as a query parameter). */
  name: string;
  /** The member as the template writes it, `"apiKey": "k-1"`: the same text in every rendered body. */
  text: string;
  /** The text up to the value, `"apiKey": "`. */
  opening: string;
  /** Its value, unescaped. */
  literal: string;
}

const credentialWords = new Set([
  'secret',
  'token',
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'credential',
  'credentials',
  'signature',
  'auth',
  'authorization',
  'apikey',
  'secretkey',
  'privatekey',
  'accesskey',
]);
const keyKinds = new Set([
  'api',
  'access',
  'secret',
  'private',
  'auth',
  'client',
  'app',
  'hmac',
  'signing',
  'shared',
  'encryption',
  'merchant',
]);

// Words after the one that says what the value is: a number or version (`apiKey2`, `API_KEY_V2`) or
// an encoding (`privateKeyPem`).
const trailing = /^(v?\d+|pem|der|b64|base64|hex|value)$/;

/** Whether a member's name says it holds a credential (see above). */
export function isCredentialName(name: string): boolean {
  const words = name
    .split(/[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z0-9])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[0-9])(?=[A-Za-z])/)
    .filter((word) => word !== '')
    .map((word) => word.toLowerCase());
  while (words.length > 1 && trailing.test(words.at(-1)!)) words.pop();
  const last = words.at(-1) ?? '';
  return credentialWords.has(last) || (last === 'key' && keyKinds.has(words.at(-2) ?? ''));
}

// A member and its string literal as a template writes them (templates need not be JSON: `{{value}}`
// may stand unquoted, so the template is scanned, not parsed).
const templateMember = /("((?:[^"\\]|\\.)*)"\s*:\s*")((?:[^"\\]|\\.)*)"/g;

/** The members of a payload template whose literal is a credential; a placeholder is not one. */
export function credentialMembers(template: string): CredentialMember[] {
  const found: CredentialMember[] = [];
  for (const [text, opening, name, literal] of template.matchAll(templateMember)) {
    if (!isCredentialName(unescapeJson(name!)) || literal!.includes('{{') || literal === '') continue;
    found.push({ name: unescapeJson(name!), text, opening: opening!, literal: unescapeJson(literal!) });
  }
  return found;
}

function unescapeJson(literal: string): string {
  try {
    return JSON.parse(`"${literal}"`) as string;
  } catch {
    return literal;
  }
}
