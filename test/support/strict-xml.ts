// A strict XML 1.0 well-formedness check for the JUnit file. fast-xml-parser's XMLValidator accepts
// control characters, `]]>` in text and two root elements; saxes, a conforming parser, rejects them,
// as CI tools' parsers do.
import { SaxesParser } from 'saxes';

/** Throws with the line and column of the first well-formedness error. */
export function assertWellFormedXml(xml: string): void {
  const parser = new SaxesParser();
  let problem: Error | undefined;
  parser.on('error', (error) => {
    problem ??= error;
  });
  parser.write(xml).close();
  if (problem) throw new Error(`not well-formed XML: ${problem.message}`);
}
