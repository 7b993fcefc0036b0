import { runStoreWidgetTests } from './widget-suite.js';
import { expect, fixture, html } from '@open-wc/testing';
import { computeReport } from '../../src/engine/compute.js';
import { METRIC_KEYS, type Report } from '../../src/engine/types.js';
import '../../src/components/detail-table/detail-table.js';
import { csvField, type UaDetailTable } from '../../src/components/detail-table/detail-table.js';
import { MetricsStore } from '../../src/store/metrics-store.js';
import {
  dailyCSV,
  dailyReport,
  dailyRow26Zh,
  dailyRowsEn,
  fallBackEvents,
  hourlyCSV,
  hourlyEvents,
} from '../fixtures/table-fixtures.js';
import { settle, StubStore } from '../fixtures/stub-store.js';

function storeWith(report: Report): MetricsStore {
  const store = new MetricsStore();
  store.setReport(report);
  return store;
}

async function mount(store: MetricsStore | null, attrs: { sort?: string; lang?: string } = {}) {
  const el = await fixture<UaDetailTable>(
    html`<ua-detail-table
      .store=${store}
      sort=${attrs.sort ?? 'asc'}
      lang=${attrs.lang ?? 'en'}
    ></ua-detail-table>`,
  );
  await settle(el);
  return el;
}

const root = (el: UaDetailTable) => el.shadowRoot!;
const q = <T extends Element>(el: UaDetailTable, selector: string) =>
  root(el).querySelector<T>(selector);

/** The body rows as arrays of cell texts. */
function bodyRows(el: UaDetailTable): string[][] {
  return [...root(el).querySelectorAll('tbody tr')].map((tr) =>
    [...tr.children].map((c) => c.textContent!.trim()),
  );
}

const timeHeader = (el: UaDetailTable) => q<HTMLTableCellElement>(el, 'thead th')!;
const sortButton = (el: UaDetailTable) => q<HTMLButtonElement>(el, 'thead th button')!;

describe('ua-detail-table', () => {
  it('is accessible with rows', async () => {
    const el = await mount(storeWith(dailyReport));
    await expect(el).to.be.accessible();
  });

  it('shows one row per bucket with the seven metrics formatted like the cards', async () => {
    const el = await mount(storeWith(dailyReport));
    expect(bodyRows(el)).to.deep.equal(dailyRowsEn);
    const headers = [...root(el).querySelectorAll('thead th')];
    expect(headers.map((th) => th.getAttribute('scope'))).to.deep.equal(Array(8).fill('col'));
    expect(headers.map((th) => th.textContent!.replace(/\s+/g, ' ').trim())).to.deep.equal([
      'Time↑',
      'New users',
      'Active users',
      'Number of opens',
      'Page visits',
      'Avg. duration per open',
      'Avg. duration per user',
      'Avg. opens per user',
    ]);
    // Each row's time is a row header with a machine-readable local date-time.
    const firstTime = q(el, 'tbody tr th[scope="row"] time')!;
    expect(firstTime.getAttribute('datetime')).to.equal('2026-11-21T00:00:00+08:00');
  });

  it('names the table with a caption and the scroll region after it', async () => {
    const el = await mount(storeWith(dailyReport));
    const caption = 'User metrics by day, Nov 21 – 27, 2026';
    expect(q(el, 'caption')!.textContent!.trim()).to.equal(caption);
    const scroll = q<HTMLElement>(el, '[part="scroll"]')!;
    expect(scroll.getAttribute('role')).to.equal('region');
    expect(scroll.getAttribute('aria-label')).to.equal(caption);
    expect(scroll.tabIndex).to.equal(0);
    // The visible title repeats the caption and is hidden from assistive technology.
    const title = q(el, '[part="title"]')!;
    expect(title.textContent).to.equal(caption);
    expect(title.getAttribute('aria-hidden')).to.equal('true');
  });

  it('labels and formats in Chinese with lang="zh-CN"', async () => {
    const el = await mount(storeWith(dailyReport), { lang: 'zh-CN' });
    await expect(el).to.be.accessible();
    expect(bodyRows(el)[5]).to.deep.equal(dailyRow26Zh);
    expect(sortButton(el).textContent!.trim()).to.equal('时间↑');
    expect(q(el, 'caption')!.textContent!.trim()).to.equal('2026年11月21日 – 27日每日用户数据');
  });

  it('sorts by time with the header button, reflecting sort and aria-sort', async () => {
    const el = await mount(storeWith(dailyReport));
    expect(el.sort).to.equal('asc');
    expect(timeHeader(el).getAttribute('aria-sort')).to.equal('ascending');
    expect(sortButton(el).title).to.equal('Sort by time, newest first');

    sortButton(el).click();
    await settle(el);
    expect(el.getAttribute('sort')).to.equal('desc');
    expect(timeHeader(el).getAttribute('aria-sort')).to.equal('descending');
    expect(sortButton(el).title).to.equal('Sort by time, oldest first');
    expect(bodyRows(el)).to.deep.equal([...dailyRowsEn].reverse());
    await expect(el).to.be.accessible();

    sortButton(el).click();
    await settle(el);
    expect(el.getAttribute('sort')).to.equal('asc');
    expect(timeHeader(el).getAttribute('aria-sort')).to.equal('ascending');
    expect(bodyRows(el)).to.deep.equal(dailyRowsEn);
  });

  it('sorts by the sort attribute', async () => {
    const el = await mount(storeWith(dailyReport), { sort: 'desc' });
    expect(bodyRows(el).map((r) => r[0])).to.deep.equal([
      'Nov 27',
      'Nov 26',
      'Nov 25',
      'Nov 24',
      'Nov 23',
      'Nov 22',
      'Nov 21',
    ]);
    expect(timeHeader(el).getAttribute('aria-sort')).to.equal('descending');
    el.setAttribute('sort', 'asc');
    await settle(el);
    expect(bodyRows(el)[0][0]).to.equal('Nov 21');
    expect(timeHeader(el).getAttribute('aria-sort')).to.equal('ascending');
  });

  it('exports the exact CSV, in the current sort order', async () => {
    const el = await mount(storeWith(dailyReport));
    expect(el.toCSV()).to.equal(dailyCSV);
    el.sort = 'desc';
    await settle(el);
    const lines = dailyCSV.split('\r\n');
    // header, the 7 data lines reversed, and the empty string after the final CRLF
    const reversed = [lines[0], ...lines.slice(1, 8).reverse(), ''].join('\r\n');
    expect(el.toCSV()).to.equal(reversed);
    expect(el.toCSV().startsWith('time,newUsers,activeUsers,opens,pageVisits,')).to.equal(true);
  });

  it('downloads the CSV as ua-report-<app>-<end>-<range>d.csv and revokes the URL', async () => {
    const el = await mount(storeWith(dailyReport));
    const created: Blob[] = [];
    const revoked: string[] = [];
    const clicked: { download: string; href: string; connected: boolean }[] = [];
    const original = {
      create: URL.createObjectURL,
      revoke: URL.revokeObjectURL,
      click: HTMLAnchorElement.prototype.click,
    };
    URL.createObjectURL = (blob: Blob) => {
      created.push(blob);
      return 'blob:fake-url';
    };
    URL.revokeObjectURL = (url: string) => void revoked.push(url);
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      clicked.push({ download: this.download, href: this.href, connected: this.isConnected });
    };
    try {
      q<HTMLButtonElement>(el, '[part="download"]')!.click();
      await new Promise((r) => setTimeout(r, 20));
    } finally {
      URL.createObjectURL = original.create;
      URL.revokeObjectURL = original.revoke;
      HTMLAnchorElement.prototype.click = original.click;
    }
    expect(clicked).to.deep.equal([
      { download: 'ua-report-demo-app-2026-11-27-7d.csv', href: 'blob:fake-url', connected: true },
    ]);
    expect(created).to.have.length(1);
    expect(created[0].type).to.equal('text/csv;charset=utf-8');
    expect(await created[0].text()).to.equal(dailyCSV);
    expect(revoked).to.deep.equal(['blob:fake-url']);
    expect(root(el).querySelector('a')).to.equal(null);
  });

  it('names the file "all" for all apps and keeps file names safe', async () => {
    const el = await mount(storeWith({ ...dailyReport, app: null, range: 7 }));
    expect(el.fileName).to.equal('ua-report-all-2026-11-27-7d.csv');
    el.store = storeWith({ ...dailyReport, app: 'shop/a b:c', range: 30 });
    await settle(el);
    expect(el.fileName).to.equal('ua-report-shop_a_b_c-2026-11-27-30d.csv');
  });

  it('quotes CSV fields as RFC 4180 says, only where needed', () => {
    expect(csvField('2026-11-27')).to.equal('2026-11-27');
    expect(csvField('12.5')).to.equal('12.5');
    expect(csvField('a,b')).to.equal('"a,b"');
    expect(csvField('say "hi"')).to.equal('"say ""hi"""');
    expect(csvField('two\nlines')).to.equal('"two\nlines"');
    expect(csvField('cr\r')).to.equal('"cr\r"');
  });

  it('shows hours of a 1-day report in its time zone and exports them with +08:00', async () => {
    const report = computeReport(hourlyEvents, {
      range: 1,
      end: '2026-11-27',
      timeZone: 'Asia/Shanghai',
    });
    const el = await mount(storeWith(report));
    await expect(el).to.be.accessible();
    const rows = bodyRows(el);
    expect(rows).to.have.length(24);
    expect(rows.map((r) => r[0])).to.deep.equal(
      Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, '0')}:00`),
    );
    expect(rows[9]).to.deep.equal(['09:00', '1', '2', '2', '4', '5m 53s', '5m 53s', '1.00']);
    expect(rows[10]).to.deep.equal(['10:00', '1', '2', '3', '1', '11s', '17s', '1.50']);
    expect(rows[23]).to.deep.equal(['23:00', '1', '1', '1', '1', '2m 00s', '2m 00s', '1.00']);
    expect(rows[0]).to.deep.equal(['00:00', '0', '0', '0', '0', '0s', '0s', '0.00']);
    expect(q(el, 'caption')!.textContent!.trim()).to.equal('User metrics by hour, Nov 27, 2026');
    expect(el.toCSV()).to.equal(hourlyCSV);
  });

  it('shows 25 hours on a fall-back day, telling the two 01:00 apart', async () => {
    const report = computeReport(fallBackEvents, {
      range: 1,
      end: '2026-11-01',
      timeZone: 'America/Los_Angeles',
    });
    const el = await mount(storeWith(report));
    const rows = bodyRows(el);
    expect(rows).to.have.length(25);
    expect(rows.slice(0, 4).map((r) => r[0])).to.deep.equal([
      '00:00',
      '01:00 GMT-7',
      '01:00 GMT-8',
      '02:00',
    ]);
    expect(rows[1].slice(1)).to.deep.equal(['1', '1', '1', '0', '1m 00s', '1m 00s', '1.00']);
    expect(rows[2].slice(1)).to.deep.equal(['0', '1', '1', '0', '2m 00s', '2m 00s', '1.00']);
    expect(rows[24][0]).to.equal('23:00');
    const lines = el.toCSV().split('\r\n');
    expect(lines).to.have.length(27); // header, 25 rows, '' after the last CRLF
    expect(lines.slice(1, 5)).to.deep.equal([
      '2026-11-01T00:00:00-07:00,0,0,0,0,0,0,0',
      '2026-11-01T01:00:00-07:00,1,1,1,0,60,60,1',
      '2026-11-01T01:00:00-08:00,0,1,1,0,120,120,1',
      '2026-11-01T02:00:00-08:00,0,0,0,0,0,0,0',
    ]);
    expect(lines[25]).to.equal('2026-11-01T23:00:00-08:00,0,0,0,0,0,0,0');
  });

  it('shows 23 hours on a spring-forward day', async () => {
    const report = computeReport(
      [
        { user: 's', type: 'open', time: '2026-03-08T03:15:00-07:00' },
        { user: 's', type: 'hide', time: '2026-03-08T03:16:00-07:00' },
      ],
      { range: 1, end: '2026-03-08', timeZone: 'America/Los_Angeles' },
    );
    const el = await mount(storeWith(report));
    const rows = bodyRows(el);
    expect(rows).to.have.length(23);
    expect(rows.slice(0, 4).map((r) => r[0])).to.deep.equal(['00:00', '01:00', '03:00', '04:00']);
    expect(rows[2].slice(1)).to.deep.equal(['1', '1', '1', '0', '1m 00s', '1m 00s', '1.00']);
    expect(el.toCSV().split('\r\n').slice(2, 4)).to.deep.equal([
      '2026-03-08T01:00:00-08:00,0,0,0,0,0,0,0',
      '2026-03-08T03:00:00-07:00,1,1,1,0,60,60,1',
    ]);
  });

  it('writes half-hour offsets and 30 daily rows', async () => {
    const kolkata = computeReport(hourlyEvents, {
      range: 1,
      end: '2026-11-27',
      timeZone: 'Asia/Kolkata',
    });
    const el = await mount(storeWith(kolkata));
    expect(el.toCSV().split('\r\n')[1].split(',')[0]).to.equal('2026-11-27T00:00:00+05:30');
    el.store = storeWith(
      computeReport(hourlyEvents, { range: 30, end: '2026-11-27', timeZone: 'Asia/Shanghai' }),
    );
    await settle(el);
    const rows = bodyRows(el);
    expect(rows).to.have.length(30);
    expect(rows[0][0]).to.equal('Oct 29');
    expect(rows[29]).to.deep.equal(['Nov 27', '3', '4', '6', '6', '2m 23s', '3m 35s', '1.50']);
  });

  it('scrolls inside its own box under a sticky header', async () => {
    const el = await mount(
      storeWith(computeReport(hourlyEvents, { range: 1, end: '2026-11-27', timeZone: 'UTC' })),
    );
    const scroll = q<HTMLElement>(el, '[part="scroll"]')!;
    expect(getComputedStyle(scroll).maxHeight).to.equal('360px');
    expect(getComputedStyle(scroll).overflowY).to.equal('auto');
    expect(scroll.scrollHeight).to.be.greaterThan(scroll.clientHeight);
    expect(getComputedStyle(timeHeader(el)).position).to.equal('sticky');
    el.style.setProperty('--ua-table-max-height', '120px');
    expect(scroll.getBoundingClientRect().height).to.be.at.most(120);
    scroll.scrollTop = 200;
    const headTop = timeHeader(el).getBoundingClientRect().top;
    expect(Math.abs(headTop - scroll.getBoundingClientRect().top)).to.be.below(1);
  });

  it('shows the no-source state without a store or data source', async () => {
    const el = await mount(null);
    await expect(el).to.be.accessible();
    expect(q(el, '[part="empty"]')!.textContent!.trim()).to.equal('No data source.');
    expect(el.toCSV()).to.equal('');
    el.store = new MetricsStore();
    await settle(el);
    expect(q(el, '[part="empty"]')!.textContent!.trim()).to.equal('No data source.');
  });

  it('shows the empty state for a period without activity, with no table', async () => {
    const empty = computeReport([], { range: 7, end: '2026-11-27', timeZone: 'Asia/Shanghai' });
    const el = await mount(storeWith(empty));
    await expect(el).to.be.accessible();
    expect(q(el, '[part="empty"]')!.textContent!.trim()).to.equal('No data for this period.');
    expect(q(el, 'table')).to.equal(null);
    expect(q(el, '[part="download"]')).to.equal(null);
    // toCSV still gives the (all-zero) rows
    expect(el.toCSV().split('\r\n')[7]).to.equal('2026-11-27,0,0,0,0,0,0,0');
  });

  it('shows a progress bar while loading, and old rows dimmed when it has them', async () => {
    const store = new StubStore();
    store.setReportState({ status: 'loading', progress: null });
    const el = await mount(store);
    await expect(el).to.be.accessible();
    const bar = q(el, '[role="progressbar"]')!;
    expect(bar).to.not.equal(null);
    expect(bar.hasAttribute('aria-valuenow')).to.equal(false);
    expect(q(el, 'table')).to.equal(null);

    store.setReportState({
      status: 'loading',
      progress: { phase: 'compute', done: 30, total: 120 },
      previous: dailyReport,
    });
    await settle(el);
    await expect(el).to.be.accessible();
    expect(q(el, '[role="progressbar"]')!.getAttribute('aria-valuenow')).to.equal('25');
    const scroll = q(el, '[part="scroll"]')!;
    expect(scroll.classList.contains('stale')).to.equal(true);
    expect(scroll.getAttribute('aria-busy')).to.equal('true');
    expect(bodyRows(el)).to.deep.equal(dailyRowsEn);
    expect(q<HTMLButtonElement>(el, '[part="download"]')!.disabled).to.equal(true);

    store.setReportState({ status: 'ready', value: dailyReport });
    await settle(el);
    expect(q(el, '[role="progressbar"]')).to.equal(null);
    expect(q(el, '[part="scroll"]')!.classList.contains('stale')).to.equal(false);
    expect(q<HTMLButtonElement>(el, '[part="download"]')!.disabled).to.equal(false);
  });

  it('shows the error with a Retry that calls store.retry()', async () => {
    const store = new StubStore();
    store.setReportState({ status: 'error', error: 'HTTP 503 Service Unavailable' });
    const el = await mount(store);
    await expect(el).to.be.accessible();
    const error = q(el, '[part="error"]')!;
    expect(error.getAttribute('role')).to.equal('alert');
    expect(error.textContent).to.contain('Could not load the report');
    expect(error.textContent).to.contain('HTTP 503 Service Unavailable');
    expect(q(el, 'table')).to.equal(null);
    q<HTMLButtonElement>(el, '[part="retry"]')!.click();
    expect(store.retries).to.equal(1);

    store.setReportState({ status: 'error', error: 'timeout', previous: dailyReport });
    await settle(el);
    await expect(el).to.be.accessible();
    expect(bodyRows(el)).to.have.length(7);
    expect(q(el, '[part="scroll"]')!.classList.contains('stale')).to.equal(true);
  });

  it('renders every metric column in METRIC_KEYS order', async () => {
    const el = await mount(storeWith(dailyReport));
    const last = dailyReport.series[6];
    const cells = [...root(el).querySelectorAll('tbody tr:last-child td')];
    expect(cells).to.have.length(METRIC_KEYS.length);
    // 11-27 (by hand, not from the Report): new 3, active 2, opens 2, pages 30 in the first four columns
    expect(cells.slice(0, 4).map((c) => Number(c.textContent))).to.deep.equal([3, 2, 2, 30]);
    expect(METRIC_KEYS.slice(0, 4).map((k) => last[k])).to.deep.equal([3, 2, 2, 30]);
  });
});

runStoreWidgetTests('ua-detail-table', 'report');

describe('ua-detail-table: region names on a page with two tables', () => {
  it('two tables over one source have regions named apart by their labels', async () => {
    const store = storeWith(dailyReport);
    const page = await fixture<HTMLElement>(
      html`<div>
        <ua-detail-table .store=${store} lang="en" label="Daily metrics"></ua-detail-table>
        <ua-detail-table
          .store=${store}
          lang="en"
          label="Daily metrics, shared source"
        ></ua-detail-table>
      </div>`,
    );
    const tables = [...page.querySelectorAll<UaDetailTable>('ua-detail-table')];
    for (const t of tables) await settle(t);
    const names = tables.map((t) => q(t, '[role="region"]')!.getAttribute('aria-label'));
    expect(names).to.deep.equal(['Daily metrics', 'Daily metrics, shared source']);
    await expect(page).to.be.accessible();
  });

  it('without a label the region is named by the caption', async () => {
    const el = await mount(storeWith(dailyReport));
    const region = q(el, '[role="region"]')!;
    expect(region.getAttribute('aria-label')).to.equal(q(el, 'caption')!.textContent!.trim());
  });
});
