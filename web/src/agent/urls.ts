/** The console's own URLs: the agent stays in the query so a link opened in a new tab signs in the same. */
export function consoleUrl(caseId: string | null, returnId: string | null = null) {
  const params = new URLSearchParams(location.search);
  if (caseId) params.set('case', caseId);
  else params.delete('case');
  if (returnId) params.set('return', returnId);
  else params.delete('return');
  const query = params.toString();
  return `/agent${query ? `?${query}` : ''}`;
}
