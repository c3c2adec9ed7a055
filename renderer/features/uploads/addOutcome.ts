// What an add came to, told from the files it queued as they are now, not only from the scan's first answer: a
// re-add of files uploaded before reads "uploaded before, skipped", never a green "Added 13". (A file the media
// check refused stays counted as added: its row says what it is and offers what to do.)
import type { AddResult, JobView } from '../../../common/api';
import type { Tone } from '../../ui/controls';

export interface AddOutcome {
  tone: Extract<Tone, 'success' | 'info' | 'warning'>;
  /** "Added 3 files · 10 uploaded before, skipped as duplicates · 2 already in the queue". */
  headline: string;
  /** Every file found went into the queue and is still on its way: the notice may leave by itself. */
  clean: boolean;
}

const files = (n: number) => (n === 1 ? '1 file' : `${n} files`);

/** `queued`: the jobs this add put in the queue that are still there (their state as main last said). */
export function addOutcome(result: AddResult, queued: Pick<JobView, 'state' | 'refused'>[]): AddOutcome {
  const duplicates = queued.filter((job) => job.state === 'skipped' && job.refused === undefined).length;
  const going = Math.max(0, result.added - duplicates);
  const { alreadyQueued, skipped } = result;
  const parts = [
    going > 0
      ? `Added ${files(going)}`
      : result.added > 0 || alreadyQueued > 0
        ? 'Nothing new to upload'
        : 'Nothing was added',
    duplicates > 0
      ? `${files(duplicates)} uploaded before, skipped as ${duplicates === 1 ? 'a duplicate' : 'duplicates'}`
      : '',
    alreadyQueued > 0 ? `${alreadyQueued} already in the queue` : '',
    skipped.length > 0 ? `skipped ${skipped.length}` : '',
  ].filter(Boolean);
  const tone = going > 0 ? 'success' : skipped.length > 0 || result.added + alreadyQueued === 0 ? 'warning' : 'info';
  return {
    tone,
    headline: parts.join(' · '),
    clean: going > 0 && going === result.added && skipped.length === 0 && alreadyQueued === 0,
  };
}
