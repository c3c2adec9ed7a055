// One finished upload: its thumbnail, its videoId, encoding state, its length and picture, what was sent with it (captions,
// chapters, thumbnail), and its links to copy or open. Privacy is shown only as the server has it: a job whose
// details did not reach the server says so instead.
import { useState, type ReactElement } from 'react';
import type { JobView } from '../../../common/api';
import { Badge, Button, Explained, IconButton } from '../../ui/controls';
import { Icon } from '../../ui/icons';
import { describeMediaFacts, formatMediaFacts } from '../../ui/format';
import { DETAILS_NOT_ON_SERVER, isEncoding } from '../uploads/jobStatus';
import { problemText, sidecarListText, sidecarSummary } from '../uploads/sidecarText';
import { copyWithNotice, currentEmbed, currentLink, openLink, thumbnailSource } from './links';
import { useApp } from '../../stores/app';
import { useProfiles } from '../../stores/profiles';

export const RESULT_ROW_HEIGHT = 76;

/** Why an "Uploaded" video shows no encoding state, true to the setting and to how it was sent. */
function notFollowedReason(following: boolean): string {
  return following
    ? 'The server encodes it on its own. Convoy did not follow it: it finished before “Follow encoding” was turned on, or it was sent with an upload token and no API-key profile of its account.'
    : 'The server encodes it on its own. Turn on “Follow encoding until playable” to see when uploads that finish from now on are playable.';
}

/** "2:05 · 1920×1080 · h264 · Captions EN, FR · Thumbnail", with the ones not sent flagged; nothing when unknown. */
function MediaLine({ job }: { job: JobView }): ReactElement | null {
  const facts = formatMediaFacts(job.media);
  const sidecars = sidecarSummary(job.sidecars);
  const problems = problemText(job.sidecars);
  if (!facts && !sidecars && !problems) return null;
  const list = sidecarListText(job.sidecars);
  return (
    <div className="r-media">
      {facts ? (
        <span className="r-facts" title={describeMediaFacts(job.media)} data-testid="result-media">
          {facts}
        </span>
      ) : null}
      {sidecars || problems ? (
        <Explained className="r-sidecars" why={list || undefined} testId="result-sidecars">
          <Icon name="file" size={12} />
          {sidecars ? <span className="r-sidecar-summary">{sidecars}</span> : null}
          {problems ? (
            <span className="r-sidecar-problems">
              <Icon name="alert" size={12} /> {problems}
            </span>
          ) : null}
        </Explained>
      ) : null}
    </div>
  );
}

/**
 * The video's picture at a fixed size, so rows never jump: a neutral placeholder until the image has loaded, and
 * in its place when there is none or it cannot be loaded (a video still encoding may not have one yet: a change of
 * its encoding state tries again).
 */
function Thumbnail({
  src,
  title,
  retryKey,
}: {
  src: string | undefined;
  title: string;
  retryKey: string;
}): ReactElement {
  const [status, setStatus] = useState<{ key: string; state: 'loaded' | 'failed' } | null>(null);
  const key = `${src ?? ''}|${retryKey}`;
  const state = status?.key === key ? status.state : 'loading';
  return (
    <div className={`r-thumb r-thumb-${src ? state : 'none'}`} data-testid="result-thumb">
      <Icon name="play" size={18} className="r-thumb-placeholder" />
      {src && state !== 'failed' ? (
        <img
          key={key}
          src={src}
          alt={title}
          width={96}
          height={54}
          loading="lazy"
          decoding="async"
          referrerPolicy="no-referrer"
          onLoad={() => setStatus({ key, state: 'loaded' })}
          onError={() => setStatus({ key, state: 'failed' })}
        />
      ) : null}
    </div>
  );
}

function encodingBadge(job: JobView, following: boolean): ReactElement {
  if (job.encoding === 'playable') return <Badge tone="success">Playable</Badge>;
  if (job.encoding === 'failed') {
    return (
      <Explained why="The server could not encode this file into any quality: it cannot be played. Check the file, then upload it again.">
        <Badge tone="danger">Encoding failed</Badge>
      </Explained>
    );
  }
  if (isEncoding(job)) {
    return (
      <Badge tone="info">
        <span className="spinner small" aria-hidden="true" /> Encoding
      </Badge>
    );
  }
  return (
    <Explained why={notFollowedReason(following)}>
      <Badge tone="neutral">Uploaded</Badge>
    </Explained>
  );
}

export function ResultRow({ job, top, following }: { job: JobView; top: number; following: boolean }): ReactElement {
  // Links follow the profile's current server (the local sandbox's address may have moved since the upload).
  const serverBase = useProfiles((s) => s.profiles.find((p) => p.id === job.profileId)?.environment.baseUrl);
  const player = job.playerUrl ? currentLink(job.playerUrl, serverBase) : undefined;
  const embedCode = job.embedCode ? currentEmbed(job.embedCode, serverBase) : undefined;
  const thumbnailProxy = useApp((s) => s.info?.thumbnailProxy);
  const thumbnail = job.thumbnailUrl
    ? thumbnailSource(currentLink(job.thumbnailUrl, serverBase), thumbnailProxy)
    : undefined;
  // Private only as a fact of the server: when the details did not reach it, the video is what the server made it.
  const isPrivate = !job.public && !job.detailsProblem;
  return (
    <div
      className="result-row"
      role="listitem"
      data-video-id={job.videoId}
      data-job-id={job.id}
      style={{ transform: `translateY(${top}px)` }}
    >
      <Thumbnail src={thumbnail} title={job.title || job.name} retryKey={job.encoding ?? job.state} />
      <div className="r-main">
        <div className="r-title">
          <strong title={job.path}>{job.title || job.name}</strong>
          {encodingBadge(job, following)}
          {isPrivate ? <Badge tone="warning">Private</Badge> : null}
          {job.detailsProblem ? (
            <Explained className="details-problem r-details-problem" why={job.detailsProblem} testId="details-problem">
              <Icon name="alert" size={13} /> {DETAILS_NOT_ON_SERVER}
            </Explained>
          ) : null}
        </div>
        <div className="r-sub">
          <span className="subtle">{job.name}</span>
          <code className="r-id" title="Video ID">
            {job.videoId}
          </code>
          {player ? (
            <code className="r-link" title={player}>
              {player}
            </code>
          ) : null}
        </div>
        <MediaLine job={job} />
      </div>
      <div className="r-actions">
        <Button
          variant="secondary"
          icon="copy"
          disabled={!player}
          onClick={() => player && void copyWithNotice(player, isPrivate ? 'private link' : 'player link')}
        >
          {isPrivate ? 'Private link' : 'Player link'}
        </Button>
        <Button
          variant="ghost"
          icon="copy"
          disabled={!embedCode}
          onClick={() => embedCode && void copyWithNotice(embedCode, 'embed code')}
        >
          Embed
        </Button>
        <Button variant="ghost" icon="copy" onClick={() => void copyWithNotice(job.videoId ?? '', 'video ID')}>
          ID
        </Button>
        <IconButton
          icon="external"
          label={`Open ${job.name} in the browser`}
          disabled={!player}
          onClick={() => player && void openLink(player)}
        />
      </div>
    </div>
  );
}
