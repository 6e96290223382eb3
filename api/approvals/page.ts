/** Server-rendered approval pages: plain HTML forms that work without JavaScript. */

const escape = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><meta name="robots" content="noindex">
<title>${escape(title)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1f2933}
h1{font-size:1.4rem}table{border-collapse:collapse;width:100%;margin:1rem 0}
td{border-bottom:1px solid #e4e7eb;padding:.4rem}td:first-child{color:#52606d}
textarea{width:100%;min-height:4rem}button{font-size:1rem;padding:.5rem 1.2rem;margin-right:.5rem;cursor:pointer}
.approve{background:#2f8132;color:#fff;border:0}.reject{background:#ba2525;color:#fff;border:0}.note{color:#52606d}
</style></head><body>${body}</body></html>`;
}

export interface ApprovalView {
  title: string;
  rows: [string, string][];
  approverEmail: string;
  expiresAt: Date;
  actions?: { approve: string; reject: string };
}

/** The decision form: GET shows it, only the POST of a button decides. */
export function decisionPage(view: ApprovalView, action: string): string {
  const rows = view.rows.map(([k, v]) => `<tr><td>${escape(k)}</td><td><strong>${escape(v)}</strong></td></tr>`).join('');
  return layout(
    view.title,
    `<h1>${escape(view.title)}</h1>
<p class="note">Asked of ${escape(view.approverEmail)}; this link expires ${escape(view.expiresAt.toISOString().slice(0, 16).replace('T', ' '))} UTC.</p>
<table>${rows}</table>
<form method="post" action="${escape(action)}">
<label for="comment">Comment (optional)</label>
<textarea id="comment" name="comment" maxlength="1000"></textarea>
<p><button class="approve" type="submit" name="decision" value="approved">${escape(view.actions?.approve ?? 'Approve')}</button>
<button class="reject" type="submit" name="decision" value="rejected">${escape(view.actions?.reject ?? 'Reject')}</button></p>
</form>`,
  );
}

/** A page that only tells something (decided, expired, invalid...). */
export function messagePage(title: string, message: string): string {
  return layout(title, `<h1>${escape(title)}</h1><p>${escape(message)}</p>`);
}
