/** The parent of a node across shadow boundaries: its parent node, or a shadow root's host. */
export function composedParent(node: Node): Node | null {
  if (node.parentNode) return node.parentNode;
  return node instanceof ShadowRoot ? node.host : null;
}

/** The element and its ancestors up to `<html>`, across shadow boundaries, nearest first. */
export function* composedAncestors(el: Element): Generator<Element> {
  for (let n: Node | null = el; n !== null; n = composedParent(n)) {
    if (n instanceof Element) yield n;
  }
}
