// Finished uploads: each video's ID and encoding state, its links to copy or open, and the manifest export.
import { useMemo, useRef, type CSSProperties, type ReactElement } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { appActions } from '../../stores/app';
import { finishedJobs, hydrate as hydrateQueue, queueActions, useQueue } from '../../stores/queue';
import { Banner, Button, EmptyState, PageHeader } from '../../ui/controls';
import { isEncoding } from '../uploads/jobStatus';
import { OfflineBanner } from '../uploads/OfflineBanner';
import { exportManifest } from './links';
import { RESULT_ROW_HEIGHT, ResultRow } from './ResultRow';
import './results.css';

function ResultList(): ReactElement {
  const jobsRev = useQueue((s) => s.jobsRev);
  const following = useQueue((s) => s.settings?.waitForPlayable ?? false);
  const { finished, playable, encoding } = useMemo(() => {
    const jobs = finishedJobs(useQueue.getState());
    return {
      finished: jobs,
      playable: jobs.filter((j) => j.encoding === 'playable').length,
      encoding: jobs.filter(isEncoding).length,
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- jobsRev is the signal that the mutable job map changed.
  }, [jobsRev]);
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual is the list engine we chose.
  const virtualizer = useVirtualizer({
    count: finished.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => RESULT_ROW_HEIGHT,
    overscan: 6,
    getItemKey: (i) => finished[i]?.id ?? i,
  });
  if (finished.length === 0) {
    return (
      <EmptyState
        icon="results"
        title="Nothing finished yet"
        action={
          <Button onClick={() => appActions.setView('uploads')} icon="upload">
            Go to uploads
          </Button>
        }
      >
        Each video appears here when its last chunk lands, with its links and encoding state.
      </EmptyState>
    );
  }
  return (
    <>
      <p className="results-count muted" aria-live="polite">
        {finished.length} {finished.length === 1 ? 'video' : 'videos'} uploaded
        {/* Counts only what is known: a video whose encoding nobody followed is not "not playable". */}
        {playable > 0 ? ` · ${playable} playable` : ''}
        {encoding > 0 ? ` · ${encoding} encoding` : ''}
      </p>
      <div
        ref={scrollRef}
        className="results-scroll card"
        role="list"
        aria-label="Uploaded videos"
        data-testid="results-list"
        style={{ '--list-height': `${virtualizer.getTotalSize()}px` } as CSSProperties}
      >
        <div className="results-canvas" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => (
            <ResultRow key={item.key} job={finished[item.index]!} top={item.start} following={following} />
          ))}
        </div>
      </div>
    </>
  );
}

function FollowEncoding(): ReactElement | null {
  const follow = useQueue((s) => s.settings?.waitForPlayable);
  if (follow === undefined) return null;
  return (
    <label
      className="check-label follow-encoding"
      title="For uploads that finish from now on, Convoy asks the server until each video is playable. Uploads sent with an upload token need an API-key profile of the same account for this."
    >
      <input
        type="checkbox"
        checked={follow}
        onChange={(e) => void queueActions.changeSettings({ waitForPlayable: e.target.checked })}
      />
      Follow encoding until playable
    </label>
  );
}

export function ResultsScreen(): ReactElement {
  const loaded = useQueue((s) => s.loaded);
  const loadError = useQueue((s) => s.loadError);
  const empty = useQueue((s) => s.order.length === 0);
  const exportTitle = empty ? 'The queue is empty: there is nothing to list' : undefined;
  return (
    <div className="results-screen">
      <PageHeader
        title="Results"
        subtitle="Uploaded videos, their links and a manifest of everything."
        actions={
          <>
            <FollowEncoding />
            <Button
              icon="file"
              onClick={() => void exportManifest('csv')}
              disabled={!loaded || empty}
              title={exportTitle}
            >
              Export CSV
            </Button>
            <Button
              icon="file"
              onClick={() => void exportManifest('json')}
              disabled={!loaded || empty}
              title={exportTitle}
            >
              Export JSON
            </Button>
          </>
        }
      />
      <OfflineBanner />
      {loadError ? (
        <Banner tone="danger" icon="alert" action={<Button onClick={() => void hydrateQueue()}>Try again</Button>}>
          Could not load the results: {loadError}
        </Banner>
      ) : null}
      {!loaded && !loadError ? (
        <div className="queue-loading" role="status">
          <span className="spinner" aria-hidden="true" /> Loading results…
        </div>
      ) : null}
      {loaded ? <ResultList /> : null}
    </div>
  );
}
