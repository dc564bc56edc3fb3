import type { SearchSyntaxProblem } from '../../shared/runSearch';

/**
 * A syntax error for a terminal or an input box: what is wrong and where, then the text with a
 * caret under the offending token.
 *
 *   invalid filter at column 15: expected a value after '<'
 *     metrics.loss <
 *                   ^
 */
export function syntaxProblemText(text: string, p: SearchSyntaxProblem, indent = '  '): string {
  const what = p.input === 'filter' ? 'filter' : 'order-by';
  // One line, so the caret lines up: line breaks and tabs typed into the text count as one column each.
  const shown = text.replace(/[\r\n\t]/g, ' ');
  const caret = ' '.repeat(p.start) + '^'.repeat(Math.max(1, p.end - p.start));
  return `invalid ${what} at column ${p.start + 1}: ${p.message}\n${indent}${shown}\n${indent}${caret}`;
}
