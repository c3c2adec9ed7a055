// Finished uploads: each video's thumbnail, ID and encoding state, its links to copy or open, a search and an
// encoding filter over them, and the manifest export.
import { useId, useMemo, useRef, useState, type CSSProperties, type ReactElement, type RefObject } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { appActions } from '../../stores/app';
import { finishedJobs, hydrate as hydrateQueue, queueActions, useQueue } from '../../stores/queue';
import { Banner, Button, EmptyState, FilterButtons, IconButton, PageHeader } from '../../ui/controls';
import { isEncoding } from '../uploads/jobStatus';
import { OfflineBanner } from '../uploads/OfflineBanner';
import { exportManifest } from './links';
import { encodingCounts, filterResults, matchesText, type EncodingFilter } from './resultFilter';
import { RESULT_ROW_HEIGHT, ResultRow } from './ResultRow';
import './results.css';

const filterLabels: { filter: EncodingFilter; label: string }[] = [
  { filter: 'all', label: 'All' },
  { filter: 'playable', label: 'Playable' },
  { filter: 'encoding', label: 'Encoding' },
  { filter: 'failed', label: 'Failed' },
];

/** The search box: narrows as you type; the clear button empties it and gives the focus back to it. */
function ResultSearch({
  query,
  onChange,
  input,
}: {
  query: string;
  onChange: (query: string) => void;
  input: RefObject<HTMLInputElement | null>;
}): ReactElement {
  const id = useId();
  return (
    <div className="results-search">
      <label htmlFor={id} className="sr-only">
        Search results
      </label>
      <input
        ref={input}
        id={id}
        type="search"
        value={query}
        placeholder="Search title, file, folder or video ID"
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && query) {
            e.preventDefault();
            onChange('');
          }
        }}
        data-testid="results-search"
      />
      {query ? (
        <IconButton
          icon="close"
          label="Clear the search"
          onClick={() => {
            onChange('');
            input.current?.focus();
          }}
          data-testid="results-search-clear"
        />
      ) : null}
    </div>
  );
}

/** Said when the search and filter leave nothing: what they were, and the way back. */
function NoMatch({
  query,
  filter,
  onClearSearch,
  onShowAll,
}: {
  query: string;
  filter: EncodingFilter;
  onClearSearch: () => void;
  onShowAll: () => void;
}): ReactElement {
  const among = filter === 'all' ? '' : ` among the ${filter} videos`;
  const what = query.trim() ? `No video matches “${query.trim()}”${among}.` : `No video is ${filter} right now.`;
  const advice =
    query.trim() && filter !== 'all'
      ? 'Try other words, clear the search, or show all videos.'
      : query.trim()
        ? 'Try other words or part of a file name, folder or video ID, or clear the search.'
        : 'Show all videos to see the others.';
  return (
    <div className="card results-no-match" data-testid="results-no-match">
      <p>
        <strong>{what}</strong> {advice}
      </p>
      <div className="results-no-match-actions">
        {query.trim() ? <Button onClick={onClearSearch}>Clear the search</Button> : null}
        {filter !== 'all' ? <Button onClick={onShowAll}>Show all videos</Button> : null}
      </div>
    </div>
  );
}

function ResultList(): ReactElement {
  const jobsRev = useQueue((s) => s.jobsRev);
  const following = useQueue((s) => s.settings?.waitForPlayable ?? false);
  const [query, setQuery] = useState('');
  const [filter, setFilter] = useState<EncodingFilter>('all');
  const searchRef = useRef<HTMLInputElement>(null);
  const filterRef = useRef<HTMLDivElement>(null);
  const finished = useMemo(
    () => finishedJobs(useQueue.getState()),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- jobsRev is the signal that the mutable job map changed.
    [jobsRev],
  );
  const counts = useMemo(() => encodingCounts(finished), [finished]);
  const shown = useMemo(() => filterResults(finished, query, filter), [finished, query, filter]);
  const narrowed = filter !== 'all' || query.trim() !== '';
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual is the list engine we chose.
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => RESULT_ROW_HEIGHT,
    overscan: 6,
    getItemKey: (i) => shown[i]?.id ?? i,
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
  const encoding = finished.filter(isEncoding).length;
  return (
    <>
      <div className="results-tools">
        <ResultSearch query={query} onChange={setQuery} input={searchRef} />
        <FilterButtons
          label="Show videos by encoding"
          options={filterLabels}
          current={filter}
          counts={counts}
          onChange={setFilter}
          group={filterRef}
        />
      </div>
      <p className="results-count muted" aria-live="polite" data-testid="results-count">
        {matchesText(shown.length, finished.length, narrowed)}
        {/* Counts only what is known: a video whose encoding nobody followed is not "not playable". */}
        {!narrowed && counts.playable > 0 ? ` · ${counts.playable} playable` : ''}
        {!narrowed && encoding > 0 ? ` · ${encoding} encoding` : ''}
      </p>
      {shown.length === 0 ? (
        <NoMatch
          query={query}
          filter={filter}
          // The button pressed goes with the message: the focus goes to what it changed.
          onClearSearch={() => {
            setQuery('');
            searchRef.current?.focus();
          }}
          onShowAll={() => {
            setFilter('all');
            filterRef.current?.querySelector<HTMLButtonElement>('[data-filter="all"]')?.focus();
          }}
        />
      ) : (
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
              <ResultRow key={item.key} job={shown[item.index]!} top={item.start} following={following} />
            ))}
          </div>
        </div>
      )}
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
