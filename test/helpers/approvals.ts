/** The approval link of an email (approval request, renewal proposal). */
export const linkIn = (text: string): string => /https?:\/\/\S+\/approvals\/[A-Za-z0-9._-]+/.exec(text)![0];

/** Decides through the link as the page's form would (no browser: for tests where the page is not the subject). */
export async function decideByLink(link: string, decision: 'approved' | 'rejected', comment = ''): Promise<string> {
  const res = await fetch(link, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ decision, comment }).toString(),
  });
  const html = await res.text();
  if (res.status !== 200) throw new Error(`decision by link: ${res.status} ${html}`);
  return html;
}
