import { composedAncestors } from '../internal/composed-tree.js';
import type { Lang } from './strings.js';

/** Maps any BCP 47 tag to a supported language: zh* → zh-CN, everything else → en. */
export function normalizeLang(tag: string | null | undefined): Lang {
  return tag && /^zh\b/i.test(tag) ? 'zh-CN' : 'en';
}

/**
 * The language of an element: its own `lang` (property or attribute), else the nearest `lang` up the tree (across
 * shadow boundaries), else the document's.
 */
export function resolveLang(el: Element): Lang {
  // A `lang` set as a property on a Lit element shadows the native attribute reflection.
  if (el instanceof HTMLElement && el.lang) return normalizeLang(el.lang);
  for (const n of composedAncestors(el)) {
    if (n.getAttribute('lang')) return normalizeLang(n.getAttribute('lang'));
  }
  return normalizeLang(document.documentElement.lang);
}
