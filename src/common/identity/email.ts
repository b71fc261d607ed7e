import { isMixedScript, stripInvisible } from './text.js';

/**
 * The one spelling of an address under which it is stored and matched: compatibility forms
 * folded (NFKC: full-width `ａｄｍｉｎ` is `admin`), invisible characters removed, trimmed,
 * lower-cased. Total: any string goes in; whether it is an address is for the caller to check.
 */
export function normalizeEmail(email: string): string {
  return stripInvisible(email.normalize('NFKC')).toLowerCase().normalize('NFKC');
}

/**
 * Why an (already normalized) address could pass for another: the part (`local part` or
 * `domain`) whose letters mix scripts, e.g. Latin with a Cyrillic `а`; `null` when none does.
 */
export function mixedScriptPartOf(email: string): 'local part' | 'domain' | null {
  const at = email.lastIndexOf('@');
  const local = at < 0 ? email : email.slice(0, at);
  const domain = at < 0 ? '' : email.slice(at + 1);
  if (isMixedScript(local)) {
    return 'local part';
  }
  // each label of a domain is its own word (`пример.com` is fine, `exаmple.com` is not)
  if (domain.split('.').some(isMixedScript)) {
    return 'domain';
  }
  return null;
}
