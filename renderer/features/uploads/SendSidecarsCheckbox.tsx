// The "Send captions, chapters and thumbnails" checkbox of an add, one-off (the add panel) or watched (the watch
// form): checked, the files named after each video beside it go to its video once it is uploaded.
import { useId, type ReactElement } from 'react';

const sidecarFiles =
  'Captions (NAME.en.vtt, NAME.fr.srt), chapters (NAME.chapters.vtt) and a thumbnail (NAME.jpg, .png or .webp) beside each video are sent to it once it is uploaded';

export function SendSidecarsCheckbox({
  checked,
  onChange,
  watched = false,
  className,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  /** For a watch folder: those that arrive after their video are sent too. */
  watched?: boolean;
  className?: string;
}): ReactElement {
  const hintId = useId();
  return (
    <div className={className ? `send-sidecars ${className}` : 'send-sidecars'}>
      <label className="check-label">
        <input
          type="checkbox"
          checked={checked}
          aria-describedby={hintId}
          onChange={(e) => onChange(e.target.checked)}
        />
        Send captions, chapters and thumbnails found beside the videos
      </label>
      <p className="field-hint" id={hintId}>
        {watched ? `${sidecarFiles}, also when they arrive after it.` : `${sidecarFiles}.`}
      </p>
    </div>
  );
}
