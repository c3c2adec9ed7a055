// Live upload settings: how many files upload in parallel and the bandwidth cap; main applies them at once.
import type { ReactElement } from 'react';
import { queueActions, useQueue } from '../../stores/queue';
import { formatSpeed } from '../../ui/format';

const MiB = 1024 * 1024;
const bandwidthChoices: { label: string; value: number | null }[] = [
  { label: 'Unlimited', value: null },
  { label: '1 MiB/s', value: 1 * MiB },
  { label: '2 MiB/s', value: 2 * MiB },
  { label: '5 MiB/s', value: 5 * MiB },
  { label: '10 MiB/s', value: 10 * MiB },
  { label: '25 MiB/s', value: 25 * MiB },
  { label: '50 MiB/s', value: 50 * MiB },
];

export function SettingsControls(): ReactElement | null {
  const settings = useQueue((s) => s.settings);
  if (!settings) return null;
  const knownLimit = bandwidthChoices.some((c) => c.value === settings.bandwidthLimit);
  return (
    <div className="queue-settings" aria-label="Upload settings" role="group">
      <label className="inline-field">
        <span>Parallel uploads</span>
        <select
          value={settings.concurrency}
          aria-label="Parallel uploads"
          onChange={(e) => void queueActions.changeSettings({ concurrency: Number(e.target.value) })}
        >
          {[1, 2, 3, 4, 6, 8, 12, 16].map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <label className="inline-field">
        <span>Bandwidth</span>
        <select
          value={settings.bandwidthLimit ?? ''}
          aria-label="Bandwidth limit"
          onChange={(e) =>
            void queueActions.changeSettings({ bandwidthLimit: e.target.value === '' ? null : Number(e.target.value) })
          }
        >
          {bandwidthChoices.map((c) => (
            <option key={c.label} value={c.value ?? ''}>
              {c.label}
            </option>
          ))}
          {!knownLimit && settings.bandwidthLimit !== null ? (
            <option value={settings.bandwidthLimit}>{formatSpeed(settings.bandwidthLimit)}</option>
          ) : null}
        </select>
      </label>
    </div>
  );
}
