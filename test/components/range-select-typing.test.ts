/**
 * Typing a day into <ua-range-select> over a real endpoint source (issue 12, item 4): the day is
 * taken whole on Enter or blur, one /report request, never one per keystroke; a day after
 * yesterday is refused with the visible hint and the field shows the last valid day.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { HttpResponse, http } from 'msw';
import '../../src/components/source/source.js';
import '../../src/components/range-select/range-select.js';
import type { UaRangeSelect } from '../../src/components/range-select/range-select.js';
import type { UaSource } from '../../src/components/source/source.js';
import { computeReport } from '../../src/engine/compute.js';
import type { Range } from '../../src/engine/types.js';
import { answerInPage } from '../hostile/harness.js';
import { sleep, waitFor } from '../store/helpers.js';
import { settle } from '../fixtures/stub-store.js';

const ENDPOINT = 'https://typing.example/api';

/** Answers /apps and /report in the page; records every /report `end`. */
function serve() {
  const ends: string[] = [];
  const server = answerInPage([
    http.get(`${ENDPOINT}/apps`, () => HttpResponse.json({ apps: [] })),
    http.get(`${ENDPOINT}/report`, ({ request }) => {
      const q = new URL(request.url).searchParams;
      ends.push(q.get('end') ?? '');
      const range = Number(q.get('range')) as Range;
      return HttpResponse.json(computeReport([], { range, end: q.get('end')!, timeZone: 'UTC' }));
    }),
  ]);
  return { ends, restore: () => server.restore() };
}

async function mount() {
  const wrap = await fixture<HTMLDivElement>(
    html`<div lang="en">
      <ua-source endpoint=${ENDPOINT} end-date="2024-03-10" time-zone="UTC">
        <ua-range-select></ua-range-select>
      </ua-source>
      <button id="after">after</button>
    </div>`,
  );
  const source = wrap.querySelector<UaSource>('ua-source')!;
  const picker = wrap.querySelector<UaRangeSelect>('ua-range-select')!;
  await waitFor(() => source.store.report.status === 'ready');
  await settle(picker);
  const input = picker.shadowRoot!.querySelector<HTMLInputElement>('input[type="date"]')!;
  const hint = () => picker.shadowRoot!.querySelector('[part="hint"]')!.textContent!.trim();
  return { wrap, source, picker, input, hint };
}

/** Focuses the date field's month and types `digits` as a person does (mm dd yyyy in en-US). */
async function typeInto(input: HTMLInputElement, digits: string) {
  input.focus(); // lands on the first segment, the month
  for (const key of digits) await sendKeys({ press: key });
}

describe('ua-range-select: typing a day', () => {
  let server: ReturnType<typeof serve>;
  beforeEach(() => {
    server = serve();
  });
  afterEach(() => server.restore());

  it('is accessible', async () => {
    const { picker } = await mount();
    await expect(picker).to.be.accessible();
  });

  it('sends one /report request for a whole typed day, on Enter', async () => {
    const { source, input } = await mount();
    expect(server.ends).to.deep.equal(['2024-03-10']);
    await typeInto(input, '11152023');
    await sleep(50);
    expect(server.ends, 'no request while typing').to.deep.equal(['2024-03-10']);
    expect(source.endDate).to.equal('2024-03-10');
    await sendKeys({ press: 'Enter' });
    await waitFor(() => server.ends.length === 2);
    await sleep(50);
    expect(server.ends).to.deep.equal(['2024-03-10', '2023-11-15']);
    expect(source.endDate).to.equal('2023-11-15');
  });

  it('commits a typed day when the field loses focus', async () => {
    const { source, input, wrap } = await mount();
    await typeInto(input, '02282024');
    expect(server.ends).to.have.length(1);
    wrap.querySelector<HTMLButtonElement>('#after')!.focus();
    await waitFor(() => server.ends.length === 2);
    expect(server.ends[1]).to.equal('2024-02-28');
    expect(source.endDate).to.equal('2024-02-28');
  });

  it('refuses a day after yesterday: the hint shows, the field keeps the last valid day', async () => {
    const { source, picker, input, hint } = await mount();
    await typeInto(input, '01052099');
    await sendKeys({ press: 'Enter' });
    await settle(picker);
    await sleep(50);
    expect(server.ends).to.deep.equal(['2024-03-10']);
    expect(source.endDate).to.equal('2024-03-10');
    expect(input.value).to.equal('2024-03-10');
    expect(hint()).to.match(/^Choose a day up to .+: data is ready the next day\.$/);
  });
});
