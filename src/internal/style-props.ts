import { noChange } from 'lit';
import {
  Directive,
  PartType,
  directive,
  type AttributePart,
  type DirectiveParameters,
  type PartInfo,
} from 'lit/directive.js';

/** CSS property names (`width`, `--ua-x`) and values; null or undefined removes the property. */
export type StyleProps = Readonly<Record<string, string | null | undefined>>;

/**
 * Inline style properties set through the CSSOM (`element.style.setProperty`) on every render,
 * the first one included: `<div style=${styleProps({ width: '40%' })}>`.
 *
 * Why not Lit's styleMap: its first render writes the properties as a `style` attribute string
 * (`setAttribute('style', 'width:40%;')`), which a Content-Security-Policy without
 * 'unsafe-inline' refuses (`style-src-attr`): a violation is reported and the value is lost, so
 * the first progress width and the first tooltip position went missing under a strict CSP.
 * Changes through the CSSOM are not inline styles and a CSP always allows them.
 */
class StylePropsDirective extends Directive {
  private readonly set = new Set<string>();

  constructor(part: PartInfo) {
    super(part);
    if (
      part.type !== PartType.ATTRIBUTE ||
      part.name !== 'style' ||
      (part.strings?.length ?? 0) > 2
    ) {
      throw new Error('styleProps() must be the whole value of a style attribute');
    }
  }

  render(props: StyleProps): typeof noChange {
    void props;
    return noChange;
  }

  override update(part: AttributePart, [props]: DirectiveParameters<this>): typeof noChange {
    const style = (part.element as HTMLElement).style;
    for (const name of this.set) {
      if (props[name] === null || props[name] === undefined) {
        style.removeProperty(name);
        this.set.delete(name);
      }
    }
    for (const [name, value] of Object.entries(props)) {
      if (value === null || value === undefined) continue;
      style.setProperty(name, value);
      this.set.add(name);
    }
    return noChange;
  }
}

export const styleProps = directive(StylePropsDirective);
