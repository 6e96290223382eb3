import path from 'node:path';
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../deps';
import { allow, type Role } from '../auth';
import { parse } from '../errors';
import { formatEuros } from '../../domain/money';
import { computeKpis, type KpiName, type Kpis } from './queries';

/** Finance and managers; admin always passes. */
const KPI_READERS: Role[] = ['finance', 'operations', 'read_only'];

// Served by file path: chart.js's exports map hides its dist files from require.resolve.
const CHART_JS_PATH = path.resolve(__dirname, '../../node_modules/chart.js/dist/chart.umd.min.js');

export const kpiQuery = z.object({
  customerId: z.union([z.string().uuid(), z.array(z.string().uuid()).min(1).max(100)]).optional(),
});

/** `?customerId=` (repeatable) as a list, or undefined for the whole business. */
function customerIdsOf(req: Request): string[] | undefined {
  const { customerId } = parse(kpiQuery, req.query, 'query');
  return customerId === undefined ? undefined : [customerId].flat();
}

/** KPIs as JSON (`GET /api/kpis`) and as a server-rendered dashboard page (`GET /dashboard`) with its two scripts. */
export function kpisRouter({ prisma }: ApiDeps): Router {
  const router = Router();

  router.get('/api/kpis', allow(...KPI_READERS), async (req, res) => {
    const kpis = await computeKpis(prisma, new Date(), customerIdsOf(req));
    res.set('Cache-Control', 'no-store').json(kpis);
  });

  router.get('/dashboard', allow(...KPI_READERS), async (req, res) => {
    const customerIds = customerIdsOf(req);
    const [kpis, customers] = await Promise.all([
      computeKpis(prisma, new Date(), customerIds),
      customerIds
        ? prisma.customer.findMany({ where: { id: { in: customerIds } }, select: { legalName: true }, orderBy: { legalName: 'asc' } })
        : [],
    ]);
    res
      .set('Cache-Control', 'no-store')
      .type('html')
      .send(
        dashboardPage(
          kpis,
          customers.map((c) => c.legalName),
        ),
      );
  });

  // Scripts are files because the CSP (script-src 'self') forbids inline scripts.
  router.get('/dashboard/assets/chart.umd.min.js', (_req, res) => {
    res.sendFile(CHART_JS_PATH, { cacheControl: false, headers: { 'Cache-Control': 'private, max-age=86400' } });
  });
  router.get('/dashboard/assets/dashboard.js', (_req, res) => {
    res.type('text/javascript').set('Cache-Control', 'private, max-age=3600').send(DASHBOARD_JS);
  });

  return router;
}

// ---------------------------------------------------------------- page

const escape = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** 0.5423 -> "54,2 %"; null -> "—". */
const percent = (rate: number | null): string => (rate === null ? '—' : `${(rate * 100).toFixed(1).replace('.', ',')} %`);
/** 16200 -> "16 200" (narrow no-break space, as formatEuros). */
const integer = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
const days = (n: number | null): string => (n === null ? '—' : `${n.toFixed(1).replace('.', ',')} days`);

const AGEING_BUCKETS: [keyof Kpis['receivables']['ageingCents'], string][] = [
  ['current', 'Not yet due'],
  ['days1to30', '1–30 days'],
  ['days31to60', '31–60 days'],
  ['days61to90', '61–90 days'],
  ['over90', 'Over 90 days'],
];

const DEFINITION_LABELS: Record<KpiName, string> = {
  openReceivables: 'Open receivables',
  ageing: 'Ageing',
  dso: 'DSO',
  overdueAmount: 'Overdue amount',
  overdueRate: 'Overdue rate',
  cashCollected: 'Cash collected',
  invoicesVsCreditNotes: 'Invoices and credit notes',
  incorrectInvoices: 'Incorrect invoices',
  slaCompliance: 'SLA compliance',
  firstTimeFix: 'First-time fix',
  utilisation: 'Technician utilisation',
  contracts: 'Service contracts',
  warranty: 'Warranty claims',
};

function tile(id: string, label: string, value: string, sub: string, tone = ''): string {
  return `<div class="tile ${tone}" id="tile-${id}"><div class="label">${escape(label)}</div>
<div class="value">${escape(value)}</div><div class="sub">${escape(sub)}</div></div>`;
}

function table(caption: string, head: string[], rows: string[][], foot?: string[]): string {
  const cells = (row: string[], tag: string) => row.map((c, i) => `<${tag}${i > 0 ? ' class="num"' : ''}>${escape(c)}</${tag}>`).join('');
  return `<table><caption>${escape(caption)}</caption>
<thead><tr>${cells(head, 'th')}</tr></thead>
<tbody>${rows.map((r) => `<tr>${cells(r, 'td')}</tr>`).join('')}</tbody>${foot ? `<tfoot><tr>${cells(foot, 'th')}</tr></tfoot>` : ''}</table>`;
}

/** The dashboard: KPI tiles, ageing and cash charts over tables that carry the same figures (readable without JavaScript). */
function dashboardPage(k: Kpis, customerNames: string[]): string {
  const { receivables, dso, overdue, cashCollected, invoicing } = k;
  const { sla, firstTimeFix, utilisation } = k.interventions;
  const { contracts, warranty } = k;
  const scope = k.customerIds ? `Customers: ${customerNames.length ? customerNames.join(', ') : 'none found'}` : 'All customers';
  const chartData = {
    ageing: { labels: AGEING_BUCKETS.map(([, label]) => label), cents: AGEING_BUCKETS.map(([key]) => receivables.ageingCents[key]) },
    cash: { labels: cashCollected.weeks.map((w) => w.week), cents: cashCollected.weeks.map((w) => w.amountCents) },
  };

  const tiles = [
    tile('open', 'Open receivables', formatEuros(receivables.openCents), `${receivables.openInvoices} open invoices`),
    tile(
      'overdue',
      'Overdue',
      formatEuros(overdue.amountCents),
      `${percent(overdue.rate)} of open · ${overdue.invoices} invoices`,
      overdue.amountCents > 0 ? 'warn' : '',
    ),
    tile('dso', `DSO (${dso.periodDays} days)`, days(dso.days), `${formatEuros(dso.invoicedTtcCents)} invoiced`),
    tile('cash', `Cash collected (${cashCollected.weeks.length} weeks)`, formatEuros(cashCollected.totalCents), 'payments received'),
    tile(
      'incorrect',
      'Incorrect invoices',
      percent(invoicing.incorrectRate),
      `${invoicing.creditNotes.count} credit notes / ${invoicing.invoices.count} invoices`,
    ),
    tile('sla', 'SLA compliance', percent(sla.rate), `${sla.met} of ${sla.total} jobs on time`),
    tile('ftf', 'First-time fix', percent(firstTimeFix.rate), `${firstTimeFix.fixed} of ${firstTimeFix.total} breakdowns`),
    tile(
      'utilisation',
      `Utilisation (${utilisation.periodDays} days)`,
      percent(utilisation.rate),
      `${integer(utilisation.bookedMinutes)} of ${integer(utilisation.availableMinutes)} min`,
    ),
    tile(
      'recurring',
      'Recurring revenue',
      `${formatEuros(contracts.recurringRevenue.monthlyCents)} / month`,
      `${contracts.active} active contracts · ${formatEuros(contracts.recurringRevenue.annualCents)} a year`,
    ),
    tile(
      'renewal',
      'Renewal rate (12 months)',
      percent(contracts.renewals.rate),
      `${contracts.renewals.renewed} of ${contracts.renewals.decided} terms renewed`,
    ),
    tile(
      'warranty-cost',
      `Warranty cost (${warranty.periodDays} days)`,
      formatEuros(warranty.costCents),
      `${warranty.closed} claims closed · ${warranty.open} open`,
    ),
    tile(
      'recovery',
      'Recovered from suppliers',
      formatEuros(warranty.supplier.recoveredCents),
      `${percent(warranty.supplier.recoveryRate)} of ${formatEuros(warranty.supplier.claimedCents)} claimed`,
    ),
  ].join('\n');

  const ageingTable = table(
    'Open receivables by days past due',
    ['Bucket', 'Amount'],
    AGEING_BUCKETS.map(([key, label]) => [label, formatEuros(receivables.ageingCents[key])]),
    ['Total open', formatEuros(receivables.openCents)],
  );
  const cashTable = table(
    'Payments received per ISO week',
    ['Week', 'Starts on', 'Amount'],
    cashCollected.weeks.map((w) => [w.week, w.startsOn, formatEuros(w.amountCents)]),
    ['Total', '', formatEuros(cashCollected.totalCents)],
  );
  const invoicingTable = table(
    `Last ${invoicing.periodDays} days`,
    ['Documents', 'Count', 'Total incl. VAT'],
    [
      ['Invoices issued', String(invoicing.invoices.count), formatEuros(invoicing.invoices.ttcCents)],
      ['Credit notes issued', String(invoicing.creditNotes.count), formatEuros(invoicing.creditNotes.ttcCents)],
    ],
    ['Incorrect invoices (credit notes / invoices)', percent(invoicing.incorrectRate), ''],
  );
  const serviceTable = table(
    `Field jobs, last ${k.interventions.periodDays} days (utilisation: ${utilisation.periodDays} days)`,
    ['Indicator', 'Jobs / minutes', 'Rate'],
    [
      ['SLA compliance', `${sla.met} / ${sla.total}`, percent(sla.rate)],
      ['First-time fix', `${firstTimeFix.fixed} / ${firstTimeFix.total}`, percent(firstTimeFix.rate)],
      [
        'Technician utilisation',
        `${integer(utilisation.bookedMinutes)} / ${integer(utilisation.availableMinutes)} min`,
        percent(utilisation.rate),
      ],
    ],
  );
  const techniciansTable = utilisation.technicians.length
    ? table(
        'Utilisation by technician',
        ['Technician', 'Booked', 'Available', 'Rate'],
        utilisation.technicians.map((t) => [
          t.name,
          `${integer(t.bookedMinutes)} min`,
          `${integer(t.availableMinutes)} min`,
          percent(t.rate),
        ]),
      )
    : '<p class="muted">No active technician in scope.</p>';
  const definitions = (Object.keys(DEFINITION_LABELS) as KpiName[])
    .map((key) => `<dt>${escape(DEFINITION_LABELS[key])}</dt><dd>${escape(k.definitions[key])}</dd>`)
    .join('\n');
  const contractsTable = table(
    'Service contracts',
    ['Indicator', 'Count / amount', 'Rate'],
    [
      ['Active contracts', String(contracts.active), ''],
      ['Recurring revenue (a year, HT)', formatEuros(contracts.recurringRevenue.annualCents), ''],
      [
        'Renewals due within 30 / 60 / 90 days',
        `${contracts.renewalsDue.within30} / ${contracts.renewalsDue.within60} / ${contracts.renewalsDue.within90}`,
        '',
      ],
      [
        `Renewal rate, last ${contracts.renewals.periodDays} days`,
        `${contracts.renewals.renewed} / ${contracts.renewals.decided}`,
        percent(contracts.renewals.rate),
      ],
      [
        `Preventive visits done, last ${contracts.visits.periodDays} days`,
        `${contracts.visits.done} / ${contracts.visits.due}`,
        percent(contracts.visits.rate),
      ],
      [
        `Margin: invoiced ${formatEuros(contracts.margin.invoicedHtCents)} − covered jobs ${formatEuros(contracts.margin.costCents)}`,
        formatEuros(contracts.margin.marginCents),
        percent(contracts.margin.rate),
      ],
    ],
  );
  const warrantyTable = table(
    `Warranty claims (closed and answered: last ${warranty.periodDays} days)`,
    ['Indicator', 'Count / amount', 'Rate'],
    [
      ['Claims open / closed', `${warranty.open} / ${warranty.closed}`, ''],
      ['Cost of warranty (HT, at cost)', formatEuros(warranty.costCents), ''],
      [
        'Claimed from suppliers / recovered',
        `${formatEuros(warranty.supplier.claimedCents)} / ${formatEuros(warranty.supplier.recoveredCents)}`,
        percent(warranty.supplier.recoveryRate),
      ],
      [
        'Supplier claims rejected (partially accepted)',
        `${warranty.supplier.rejected} of ${warranty.supplier.answered} (${warranty.supplier.partiallyAccepted})`,
        percent(warranty.supplier.rejectionRate),
      ],
      ['Supplier claims awaiting an answer', `${warranty.supplier.pending} · ${formatEuros(warranty.supplier.pendingCents)}`, ''],
    ],
  );

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><meta name="robots" content="noindex"><link rel="icon" href="data:,">
<title>KPI dashboard</title>
<style>${STYLE}</style></head>
<body>
<header><div><h1>KPI dashboard</h1><p class="muted">${escape(scope)}</p></div>
<p class="muted">Live from the database · ${escape(k.generatedAt.slice(0, 16).replace('T', ' '))} UTC</p></header>
<main>
<section class="tiles" aria-label="Key figures">
${tiles}
</section>
<div class="row">
<section class="panel" id="ageing"><h2>Receivables ageing</h2>
<div class="chart"><canvas id="ageing-chart" role="img" aria-label="Open receivables by days past due"></canvas></div>
${ageingTable}</section>
<section class="panel" id="cash"><h2>Cash collected per week</h2>
<div class="chart"><canvas id="cash-chart" role="img" aria-label="Payments received per ISO week"></canvas></div>
${cashTable}</section>
</div>
<div class="row">
<section class="panel" id="invoicing"><h2>Invoices and credit notes</h2>
${invoicingTable}</section>
<section class="panel" id="service"><h2>Field service</h2>
${serviceTable}
${techniciansTable}</section>
</div>
<div class="row">
<section class="panel" id="contracts"><h2>Service contracts</h2>
${contractsTable}</section>
<section class="panel" id="warranty"><h2>Warranty claims</h2>
${warrantyTable}</section>
</div>
<section class="panel" id="definitions"><h2>Definitions</h2><dl>
${definitions}
</dl></section>
</main>
<script type="application/json" id="kpi-data">${JSON.stringify(chartData).replace(/</g, '\\u003c')}</script>
<script src="/dashboard/assets/chart.umd.min.js"></script>
<script src="/dashboard/assets/dashboard.js"></script>
</body></html>`;
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2933;background:#f3f5f8;font-size:14px;line-height:1.45}
header{display:flex;justify-content:space-between;align-items:flex-end;gap:1rem;flex-wrap:wrap;padding:1.25rem 2rem;background:#1f2a44;color:#fff}
header h1{margin:0;font-size:1.4rem;font-weight:600}header .muted{color:#c5cee0;margin:.2rem 0 0}
main{max-width:1280px;margin:0 auto;padding:1.5rem 2rem 2.5rem}
.muted{color:#616e7c}
.tiles{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:1rem;margin-bottom:1.5rem}
@media (max-width:900px){.tiles{grid-template-columns:repeat(2,minmax(0,1fr))}}
.tile{background:#fff;border:1px solid #e1e5eb;border-left:4px solid #2563eb;border-radius:8px;padding:.9rem 1rem;box-shadow:0 1px 2px rgba(16,24,40,.05)}
.tile.warn{border-left-color:#d9822b}
.tile .label{color:#616e7c;font-size:.78rem;text-transform:uppercase;letter-spacing:.04em}
.tile .value{font-size:1.6rem;font-weight:650;margin:.25rem 0;font-variant-numeric:tabular-nums;white-space:nowrap}
.tile .sub{color:#616e7c;font-size:.85rem}
.row{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:1.5rem;margin-bottom:1.5rem}
.panel{background:#fff;border:1px solid #e1e5eb;border-radius:8px;padding:1rem 1.25rem;box-shadow:0 1px 2px rgba(16,24,40,.05)}
.panel h2{font-size:1.05rem;margin:0 0 .75rem;font-weight:600}
.chart{display:none;position:relative;height:240px;margin-bottom:.75rem}
.js .chart{display:block}
table{border-collapse:collapse;width:100%;margin:.25rem 0 .75rem;font-variant-numeric:tabular-nums}
caption{text-align:left;color:#616e7c;font-size:.8rem;padding-bottom:.3rem}
th,td{padding:.35rem .5rem;border-bottom:1px solid #edf0f3;text-align:left}
thead th{color:#616e7c;font-weight:500;font-size:.8rem;border-bottom:1px solid #d5dae1}
tfoot th{border-bottom:0;border-top:1px solid #d5dae1}
.num{text-align:right;white-space:nowrap}
dl{display:grid;grid-template-columns:minmax(140px,200px) 1fr;gap:.45rem 1rem;margin:0}
dt{font-weight:600}dd{margin:0;color:#3e4c59}
`;

/** Draws the two charts from the page's JSON block (no inline script: the CSP allows only same-origin script files). */
const DASHBOARD_JS = `(function () {
  'use strict';
  var source = document.getElementById('kpi-data');
  if (!source || typeof Chart === 'undefined') return;
  document.documentElement.classList.add('js');
  var data = JSON.parse(source.textContent);
  var euros = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });
  var money = function (cents) { return euros.format(cents / 100); };
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  Chart.defaults.color = '#616e7c';
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  var yAxis = { beginAtZero: true, grid: { color: '#edf0f3' }, border: { display: false }, ticks: { callback: function (v) { return money(v); } } };
  var xAxis = { grid: { display: false } };
  var tooltip = { callbacks: { label: function (c) { return money(c.parsed.y); } } };
  new Chart(document.getElementById('ageing-chart'), {
    type: 'bar',
    data: {
      labels: data.ageing.labels,
      datasets: [{ label: 'Open amount', data: data.ageing.cents, borderRadius: 4, maxBarThickness: 56,
        backgroundColor: ['#2563eb', '#f0b429', '#de911d', '#c65d21', '#ab1f1f'] }]
    },
    options: { plugins: { legend: { display: false }, tooltip: tooltip }, scales: { x: xAxis, y: yAxis } }
  });
  new Chart(document.getElementById('cash-chart'), {
    type: 'line',
    data: {
      labels: data.cash.labels,
      datasets: [{ label: 'Cash collected', data: data.cash.cents, borderColor: '#2563eb', backgroundColor: 'rgba(37, 99, 235, 0.12)',
        fill: true, cubicInterpolationMode: 'monotone', pointRadius: 3, pointBackgroundColor: '#2563eb' }]
    },
    options: { plugins: { legend: { display: false }, tooltip: tooltip }, scales: { x: xAxis, y: yAxis } }
  });
})();
`;
