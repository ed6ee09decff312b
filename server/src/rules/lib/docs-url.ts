/** Doc pages live in the repo (docs/rules/<id>.md); the URL is derived from the id, never typed by hand. */
export const docsBaseUrl = 'https://github.com/dockerfile-lean/dockerfile-lean/blob/main/docs/rules/';

export function ruleDocsUrl(id: string): string {
  return `${docsBaseUrl}${id}.md`;
}
