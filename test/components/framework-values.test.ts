import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/components/source/source.js';
import '../../src/components/dashboard/dashboard.js';
import type { UaSource } from '../../src/components/source/source.js';
import type { UaDashboard } from '../../src/components/dashboard/dashboard.js';
import { computeReport } from '../../src/engine/compute.js';
import type { ReportErrorEvent } from '../../src/events/report-error.js';
import type { ReportLoadEvent } from '../../src/events/report-load.js';
import { numberFrom, optionalNumberFrom } from '../../src/internal/coerce.js';
import { guardAgainstStrayErrors } from '../store/guard.js';
import { fixtureEvents, waitFor } from '../store/helpers.js';

/**
 * React 19 and Vue 3 set a property when the element has one, with the template's string:
 * `<ua-source range="30">` is `el.range = '30'`. Each attribute-backed number takes both forms.
 */
describe('properties set the way frameworks set them', () => {
  guardAgainstStrayErrors();

  it('is accessible', async () => {
    const el = await fixture<UaSource>(html`<ua-source></ua-source>`);
    await expect(el).to.be.accessible();
  });

  it('numberFrom and optionalNumberFrom read the string form and leave wrong values as they are', () => {
    expect(numberFrom('30')).to.equal(30);
    expect(numberFrom(' 45 ')).to.equal(45);
    expect(numberFrom(7)).to.equal(7);
    expect(numberFrom('thirty')).to.equal('thirty');
    expect(numberFrom('')).to.equal('');
    expect(optionalNumberFrom('')).to.equal(null);
    expect(optionalNumberFrom(undefined)).to.equal(null);
    expect(optionalNumberFrom('0')).to.equal(0);
  });

  it('ua-source configures its store from string properties as from attributes', async () => {
    const el = await fixture<UaSource>(html`<ua-source></ua-source>`);
    el.store.dispose(); // configuration only: nothing is fetched
    Object.assign(el, { range: '30', mergeGap: '45', timeout: '5000' });
    await el.updateComplete;
    expect(el.store.config).to.deep.include({ range: 30, mergeGap: 45, timeout: 5000 });
    Object.assign(el, { mergeGap: '' });
    await el.updateComplete;
    expect(el.store.config.mergeGap).to.equal(null);
  });

  it('a string range computes the same Report as the number', async () => {
    const events = await fixtureEvents();
    const el = await fixture<UaSource>(
      html`<ua-source time-zone="UTC" end-date="2026-03-10"></ua-source>`,
    );
    const loaded = oneEvent(el, 'report-load') as Promise<ReportLoadEvent>;
    Object.assign(el, { range: '30', mergeGap: '45', events });
    const report = (await loaded).detail;
    const expected = computeReport(events as never, {
      range: 30,
      end: '2026-03-10',
      timeZone: 'UTC',
      mergeGapMs: 45_000,
    });
    expect(report.series).to.have.length(30);
    expect(report.totals).to.deep.equal(expected.totals);
  });

  it('a value wrong in both forms gives an error that names it', async () => {
    const el = await fixture<UaSource>(html`<ua-source time-zone="UTC"></ua-source>`);
    const failed = oneEvent(el, 'report-error') as Promise<ReportErrorEvent>;
    Object.assign(el, { range: 'thirty', events: await fixtureEvents() });
    const reason = (await failed).detail.reason;
    expect(reason).to.contain('range').and.to.contain('thirty');
  });

  it('an attribute wrong as a number is named as written', async () => {
    const el = await fixture<UaSource>(html`<ua-source time-zone="UTC"></ua-source>`);
    const failed = oneEvent(el, 'report-error') as Promise<ReportErrorEvent>;
    el.setAttribute('merge-gap', 'soon');
    el.events = await fixtureEvents();
    const reason = (await failed).detail.reason;
    expect(reason).to.contain('merge-gap').and.to.contain('soon');
  });

  it('ua-dashboard passes string properties through to its source', async () => {
    const el = await fixture<UaDashboard>(html`<ua-dashboard></ua-dashboard>`);
    Object.assign(el, { range: '30', mergeGap: '45', timeout: '5000' });
    await waitFor(() => el.store?.config.range === 30);
    el.store!.dispose();
    expect(el.store!.config).to.deep.include({ range: 30, mergeGap: 45, timeout: 5000 });
  });
});
