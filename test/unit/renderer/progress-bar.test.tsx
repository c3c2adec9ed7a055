// @vitest-environment jsdom
// The progress bar draws bytes on their way apart from confirmed ones: the value read out stays the confirmed share,
// the value text says both, the hatched segment starts at the left edge (under the fill) and ends where the bytes
// on their way end. A caller that passes no in-flight share gets the plain bar it always had.
import { act, useState } from 'react';
import { describe, expect, it } from 'vitest';
import { ProgressBar, progressText } from '../../../renderer/ui/controls';
import { mountEachTest } from './mounted';

let show: (props: { value: number; inflight?: number }) => void = () => {};
function Harness() {
  const [props, setProps] = useState<{ value: number; inflight?: number }>({ value: 0.42, inflight: 0.08 });
  show = setProps;
  return <ProgressBar {...props} label="Upload progress" />;
}
const view = mountEachTest(() => <Harness />);
const bar = () => view.host.querySelector('[role="progressbar"]')!;
const width = (selector: string) => (view.host.querySelector(selector) as HTMLElement | null)?.style.width;

describe('ProgressBar', () => {
  it('reads out the confirmed share as its value and both shares as its text', () => {
    expect(bar().getAttribute('aria-label')).toBe('Upload progress');
    expect(bar().getAttribute('aria-valuenow')).toBe('42');
    expect(bar().getAttribute('aria-valuetext')).toBe('42% confirmed, 8% on its way');
    expect(width('.progress-fill')).toBe('42%');
    expect(width('.progress-inflight')).toBe('50%');
  });

  it('never draws past the end, and nothing apart when nothing is on its way', () => {
    act(() => show({ value: 0.9, inflight: 0.5 }));
    expect(bar().getAttribute('aria-valuetext')).toBe('90% confirmed, 10% on its way');
    expect(width('.progress-inflight')).toBe('100%');
    act(() => show({ value: 0.3, inflight: 0 }));
    expect(bar().getAttribute('aria-valuetext')).toBe('30% confirmed');
    expect(view.host.querySelector('.progress-inflight')).toBeNull();
    act(() => show({ value: Number.NaN, inflight: -1 }));
    expect(bar().getAttribute('aria-valuenow')).toBe('0');
    expect(width('.progress-fill')).toBe('0%');
  });

  it('stays the plain bar for callers that pass no in-flight share', () => {
    act(() => show({ value: 0.5 }));
    expect(bar().getAttribute('aria-valuenow')).toBe('50');
    expect(bar().hasAttribute('aria-valuetext')).toBe(false);
    expect(view.host.querySelector('.progress-inflight')).toBeNull();
    expect(width('.progress-fill')).toBe('50%');
  });
});

describe('progressText', () => {
  it('says "under 1%" rather than "0%" of bytes that are on their way', () => {
    expect(progressText(0.5, 0.001)).toBe('50% confirmed, under 1% on its way');
    expect(progressText(1, 0)).toBe('100% confirmed');
  });
});
