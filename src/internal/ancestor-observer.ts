import { composedAncestors } from './composed-tree.js';

/**
 * Calls `onChange` when one of `attributes` changes on `el` or any ancestor up to `<html>`,
 * across shadow boundaries (one MutationObserver over the path as it is now). Disconnect the
 * observer returned when `el` leaves the page; observe again when it comes back.
 */
export function observeAncestors(
  el: Element,
  attributes: string[],
  onChange: () => void,
): MutationObserver {
  const observer = new MutationObserver(onChange);
  for (const node of composedAncestors(el)) {
    observer.observe(node, { attributes: true, attributeFilter: attributes });
  }
  return observer;
}
