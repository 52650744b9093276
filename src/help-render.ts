// Help at any terminal width without the commander tree (issue 13). The build renders every help
// text once with a Help whose wrapping only records what it was asked to wrap; what is left is a
// template: the text as it is at every width, and the descriptions commander wraps, each with how
// many columns of the line are not its own. Here they are wrapped by commander's own
// Help#boxWrap (dist/help.cjs bundles commander's lib/help.js alone, see scripts/build.mjs), the
// way Help#formatHelp and Help#formatItem call it. bin/msp-license.js requires this only for a
// width other than 80 (dist/help.json holds the texts at 80).
import { Help } from 'commander';

/**
 * A piece of a help text: a string is printed as is; `[k, text]` is a description commander wraps.
 * k = 0: the command's own description, wrapped at the full width. k > 0: an item's description
 * (an option, argument or subcommand), wrapped at width - k, its next lines indented k columns
 * (k = the item's term column + 4).
 */
export type HelpPart = string | [number, string];

/** dist/help-templates.json: the texts of dist/help.json (same indexes) as templates. */
export interface HelpTemplates {
  templates: HelpPart[][];
  /** Commander's configured minWidthToWrap (cli.ts): below it nothing is wrapped. */
  minWidthToWrap: number;
}

/** A help template as commander prints it at `width` columns. */
export function renderHelp(template: HelpPart[], width: number, minWidthToWrap: number): string {
  const help = new Help();
  help.minWidthToWrap = minWidthToWrap;
  let text = '';
  for (const part of template) {
    if (typeof part === 'string') {
      text += part;
      continue;
    }
    const [k, description] = part;
    if (k === 0) text += help.boxWrap(description, width);
    // Help#formatItem: too narrow to wrap, the description as is (its lines indented as the item).
    else if (width - k < minWidthToWrap) text += description.replace(/\n/g, '\n  ');
    else text += help.boxWrap(description, width - k).replace(/\n/g, `\n${' '.repeat(k)}`);
  }
  return text;
}
