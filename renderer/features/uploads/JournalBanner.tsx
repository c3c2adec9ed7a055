// Says that the upload journal was found damaged or lost at start and, when token uploads wait for the user's word
// (a token cannot check the server), why they wait and lets the user send them anyway.
import { useState, type ReactElement } from 'react';
import { queueActions, useQueue } from '../../stores/queue';
import { Banner, Button } from '../../ui/controls';

export function JournalBanner(): ReactElement | null {
  const notice = useQueue((s) => s.journal);
  const [busy, setBusy] = useState(false);
  if (!notice) return null;
  const { holding } = notice;
  const held =
    holding === 1
      ? 'With an upload token alone Convoy cannot tell whether this 1 file already arrived, so it waits for your ' +
        'word. Uploading it anyway may create a second video of a file that is already there.'
      : `With an upload token alone Convoy cannot tell whether these ${holding} files already arrived, so they wait ` +
        'for your word. Uploading them anyway may create a second video of files that are already there.';
  const acknowledge = async () => {
    setBusy(true);
    await queueActions.acknowledgeJournal();
    setBusy(false);
  };
  return (
    <div className="offline-banner journal-banner" data-testid="journal-banner">
      <Banner
        tone="warning"
        icon="alert"
        action={
          <Button variant="secondary" busy={busy} onClick={() => void acknowledge()}>
            {holding > 0 ? `Upload ${holding} anyway` : 'OK'}
          </Button>
        }
      >
        <strong>{notice.message}</strong>{' '}
        {holding > 0 ? held : 'Files already on the server are found there; unfinished uploads continue.'}
      </Banner>
    </div>
  );
}
