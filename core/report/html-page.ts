// The page every HTML report is: one self-contained file. Nothing is fetched (inline CSS and SVG,
// no script), and a Content Security Policy forbids scripts outright, so even an escaping mistake
// could not run the endpoint's markup.
import { htmlText } from './html-escape.ts';
import { HTML_REPORT_STYLES } from './html-styles.ts';

export interface HtmlPage {
  /** Plain text; escaped here. */
  title: string;
  /** CSS added after the shared report styles. */
  styles?: string;
  /** The page's content, already HTML. */
  body: string;
}

export function htmlPage(page: HtmlPage): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${htmlText(page.title)}</title>
<style>${HTML_REPORT_STYLES}${page.styles ?? ''}</style>
</head>
<body>
<main class="page">
${page.body}
</main>
</body>
</html>
`;
}
