// @vitest-environment jsdom
// Honest progress (issue #12): the overview's percentage and bar count confirmed bytes, draws the bytes on their way
// apart and says which is which; a row's shares come from confirmed bytes too; and "Pausing…" is explained in words
// true for API-key and upload-token uploads alike. Fed through the stores as main would.
import { act } from 'react';
import { beforeEach, describe, expect, it } from 'vitest';
import { QueueOverview } from '../../../renderer/features/uploads/QueueOverview';
import { PAUSING_EXPLANATION, rowProgress } from '../../../renderer/features/uploads/jobStatus';
import { useApp } from '../../../renderer/stores/app';
import { useQueue } from '../../../renderer/stores/queue';
import { jobView, queueTotals } from '../../support/queue-views';
import { mountEachTest } from './mounted';

const MiB = 1024 * 1024;
const uploading = queueTotals({
  files: 1,
  bytes: 100 * MiB,
  confirmedBytes: 40 * MiB,
  inflightBytes: 10 * MiB,
  speed: 2 * MiB,
  eta: 25,
  byState: { ...queueTotals().byState, uploading: 1 },
});

beforeEach(() => {
  useApp.setState({ connected: true });
  useQueue.setState({ totals: uploading });
});
const view = mountEachTest(() => <QueueOverview />);
const bar = () => view.host.querySelector('[role="progressbar"]')!;
const text = () => view.host.textContent?.replace(/\s+/g, ' ') ?? '';

describe('QueueOverview', () => {
  it('shows the confirmed share as its percentage and the share on its way apart, with words for each', () => {
    expect(view.host.querySelector('.overview-big')?.textContent).toBe('40%');
    expect(bar().getAttribute('aria-valuenow')).toBe('40');
    expect(bar().getAttribute('aria-valuetext')).toBe('40% confirmed, 10% on its way');
    expect(view.host.querySelector('.progress-inflight')).not.toBeNull();
    expect(text()).toContain('40.0 MiB of 100 MiB confirmed');
    expect(view.host.querySelector('[data-testid="overall-inflight"]')?.textContent).toBe('10.0 MiB on its way');
    // The legend's words reach screen readers too, not only the pointer.
    expect(text()).toContain('sent but not yet acknowledged by the server');
  });

  it('drops the legend once nothing is on its way, and never counts more than the whole', () => {
    act(() => useQueue.setState({ totals: { ...uploading, inflightBytes: 0 } }));
    expect(view.host.querySelector('.progress-inflight')).toBeNull();
    expect(view.host.querySelector('[data-testid="overall-inflight"]')).toBeNull();
    expect(text()).toContain('40.0 MiB of 100 MiB · 1 file');
    act(() => useQueue.setState({ totals: { ...uploading, confirmedBytes: 95 * MiB, inflightBytes: 20 * MiB } }));
    expect(bar().getAttribute('aria-valuetext')).toBe('95% confirmed, 5% on its way');
  });
});

describe('rowProgress', () => {
  const job = jobView('a', { state: 'uploading', size: 200, confirmedBytes: 50 });

  it('counts confirmed bytes (the later of the job and its progress) and draws the rest on its way apart', () => {
    expect(rowProgress(job, undefined)).toEqual({ confirmed: 0.25, inflight: 0 });
    expect(rowProgress(job, { confirmedBytes: 100, inflightBytes: 40 })).toEqual({ confirmed: 0.5, inflight: 0.2 });
    // A progress event older than the job view never takes confirmed bytes back.
    expect(rowProgress(job, { confirmedBytes: 0, inflightBytes: 40 })).toEqual({ confirmed: 0.25, inflight: 0.2 });
    expect(rowProgress(job, { confirmedBytes: 150, inflightBytes: 500 })).toEqual({ confirmed: 0.75, inflight: 0.25 });
  });

  it('is whole once the upload is over, and nothing for an empty file', () => {
    expect(rowProgress({ ...job, state: 'finalizing' }, undefined)).toEqual({ confirmed: 1, inflight: 0 });
    expect(rowProgress({ ...job, state: 'done' }, undefined)).toEqual({ confirmed: 1, inflight: 0 });
    expect(rowProgress({ ...job, size: 0 }, undefined)).toEqual({ confirmed: 0, inflight: 0 });
  });
});

describe('PAUSING_EXPLANATION', () => {
  it('says why for any upload (a part that will arrive soon is let finish), and for a token its first part', () => {
    expect(PAUSING_EXPLANATION).toMatch(/^Letting the part on its way arrive, so what it carries is kept/);
    expect(PAUSING_EXPLANATION).toContain('within 20 s');
    expect(PAUSING_EXPLANATION).toContain('sent again from its start on resume');
    expect(PAUSING_EXPLANATION).toMatch(/15 s for the first part of an upload-token upload/);
  });
});
