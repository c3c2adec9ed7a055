// One finished upload: its videoId, encoding state, and its links to copy or open.
import type { ReactElement } from 'react';
import type { JobView } from '../../../preload/api';
import { Badge, Button, IconButton } from '../../ui/controls';
import { copyWithNotice, openLink } from './links';

export const RESULT_ROW_HEIGHT = 76;

function encodingBadge(job: JobView): ReactElement {
  if (job.encoding === 'playable') return <Badge tone="success">Playable</Badge>;
  if (job.state === 'finalizing' || job.encoding === 'encoding') return <Badge tone="info"><span className="spinner small" aria-hidden="true" /> Encoding</Badge>;
  // Done without following encoding (the "Follow encoding" setting is off): the server encodes on its own.
  return <span title="Turn on “Follow encoding until playable” to track it here"><Badge tone="neutral">Uploaded</Badge></span>;
}

export function ResultRow({ job, top }: { job: JobView; top: number }): ReactElement {
  const player = job.playerUrl;
  return (
    <div className="result-row" role="listitem" data-video-id={job.videoId} data-job-id={job.id} style={{ transform: `translateY(${top}px)` }}>
      <div className="r-main">
        <div className="r-title">
          <strong title={job.path}>{job.title || job.name}</strong>
          {encodingBadge(job)}
          {job.public ? null : <Badge tone="warning">Private</Badge>}
        </div>
        <div className="r-sub">
          <span className="subtle">{job.name}</span>
          <code className="r-id" title="Video ID">{job.videoId}</code>
          {player ? <code className="r-link" title={player}>{player}</code> : null}
        </div>
      </div>
      <div className="r-actions">
        <Button variant="secondary" icon="copy" disabled={!player}
          onClick={() => player && void copyWithNotice(player, job.public ? 'player link' : 'private link')}>
          {job.public ? 'Player link' : 'Private link'}
        </Button>
        <Button variant="ghost" icon="copy" disabled={!job.embedCode}
          onClick={() => job.embedCode && void copyWithNotice(job.embedCode, 'embed code')}>Embed</Button>
        <Button variant="ghost" icon="copy" onClick={() => void copyWithNotice(job.videoId ?? '', 'video ID')}>ID</Button>
        <IconButton icon="external" label={`Open ${job.name} in the browser`} disabled={!player}
          onClick={() => player && void openLink(player)} />
      </div>
    </div>
  );
}
