// Shared building blocks for every screen: buttons, fields, badges, progress bars, empty states, dialogs.
// Features compose these; none of them knows about the bridge.
import {
  useEffect,
  useId,
  useRef,
  useState,
  type ButtonHTMLAttributes,
  type ComponentProps,
  type ReactElement,
  type ReactNode,
  type RefObject,
} from 'react';
import { Icon, type IconName } from './icons';
import { messageOf } from './fieldErrors';
import { plainError } from './plainError';

type Variant = 'primary' | 'secondary' | 'ghost' | 'danger';

export function Button({
  variant = 'secondary',
  icon,
  busy,
  children,
  className,
  ...rest
}: ComponentProps<'button'> & { variant?: Variant; icon?: IconName; busy?: boolean }): ReactElement {
  return (
    <button
      type="button"
      className={`btn btn-${variant} ${className ?? ''}`}
      aria-busy={busy || undefined}
      disabled={rest.disabled || busy}
      {...rest}
    >
      {busy ? <span className="spinner" aria-hidden="true" /> : icon ? <Icon name={icon} /> : null}
      {children ? <span>{children}</span> : null}
    </button>
  );
}

export function IconButton({
  icon,
  label,
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { icon: IconName; label: string }): ReactElement {
  return (
    <button type="button" className="icon-btn" aria-label={label} title={label} {...rest}>
      <Icon name={icon} />
    </button>
  );
}

/** A labelled field with its hint and, when present, the error that belongs to it. */
export function Field({
  label,
  hint,
  error,
  children,
}: {
  label: string;
  hint?: ReactNode;
  error?: string | null;
  children: (props: { id: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }) => ReactNode;
}): ReactElement {
  const id = useId();
  const describedBy = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <div className={`field ${error ? 'field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        ...(error ? { 'aria-invalid': true } : {}),
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
      })}
      {error ? (
        <ErrorNote id={`${id}-error`} message={error} />
      ) : hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** A Field holding one single-line text input: the common case of every form. */
export function TextField({
  label,
  hint,
  error,
  value,
  placeholder,
  onChange,
}: {
  label: string;
  hint?: ReactNode;
  error?: string | null;
  value: string;
  placeholder?: string;
  onChange: (value: string) => void;
}): ReactElement {
  return (
    <Field label={label} hint={hint} {...(error !== undefined ? { error } : {})}>
      {(props) => (
        <input
          {...props}
          type="text"
          value={value}
          {...(placeholder !== undefined ? { placeholder } : {})}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

/**
 * Something shown with its explanation: the words are in the text for screen readers (visually hidden), and a
 * tooltip for the pointer. Never the explanation in a tooltip alone.
 */
export function Explained({
  why,
  className,
  children,
  testId,
}: {
  why: string | undefined;
  className?: string;
  children: ReactNode;
  testId?: string;
}): ReactElement {
  return (
    <>
      <span className={className} title={why} data-testid={testId}>
        {children}
      </span>
      {why ? <span className="sr-only">{` (${why})`}</span> : null}
    </>
  );
}

/**
 * An error where the action happened: the plain words (what went wrong, what to do) in view, the technical detail
 * (codes, the server's words) folded in a disclosure beneath. Never cut: it wraps.
 */
export function ErrorNote({ message, id, testId }: { message: string; id?: string; testId?: string }): ReactElement {
  const { plain, detail } = plainError(message);
  return (
    <div className="field-error error-note" id={id} role="alert" data-testid={testId}>
      <Icon name="alert" size={14} />
      <div className="error-note-body">
        <span>{plain}</span>
        {detail ? (
          <details className="error-detail">
            <summary>Technical detail</summary>
            <code>{detail}</code>
          </details>
        ) : null}
      </div>
    </div>
  );
}

export type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'danger';

export function Badge({ tone = 'neutral', children }: { tone?: Tone; children: ReactNode }): ReactElement {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

/** A fraction in 0..1 (anything else, NaN included, is clamped). */
function clampFraction(value: number): number {
  return Math.max(0, Math.min(1, Number.isFinite(value) ? value : 0));
}

/** "42% confirmed, 8% on its way": what a progress bar that draws bytes in flight apart says to assistive tech. */
export function progressText(confirmed: number, inflight: number): string {
  const done = `${Math.round(confirmed * 100)}% confirmed`;
  if (inflight <= 0) return done;
  const onWay = Math.round(inflight * 100);
  return `${done}, ${onWay > 0 ? `${onWay}%` : 'under 1%'} on its way`;
}

/**
 * A progress bar. `value` is what is done for sure (for an upload: what the server confirmed); `inflight`, when
 * given, is what is on its way beyond it (sent, not yet confirmed), drawn apart after it as a hatched segment, as
 * tus-js-client and Uppy do. The value assistive tech reads stays the confirmed share; the value text says both.
 */
export function ProgressBar({
  value,
  inflight,
  tone = 'info',
  label,
}: {
  value: number;
  /** The share on its way beyond `value` (0..1 of the whole); omitted: nothing is drawn apart. */
  inflight?: number;
  tone?: Tone;
  label: string;
}): ReactElement {
  const done = clampFraction(value);
  const onWay = inflight === undefined ? 0 : Math.min(clampFraction(inflight), 1 - done);
  return (
    <div
      className={`progress progress-${tone}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(done * 100)}
      {...(inflight !== undefined ? { 'aria-valuetext': progressText(done, onWay) } : {})}
    >
      {/* Under the fill from the start, so its stripes stay put as the fill grows over them. */}
      {onWay > 0 ? <div className="progress-inflight" style={{ width: `${(done + onWay) * 100}%` }} /> : null}
      <div className="progress-fill" style={{ width: `${done * 100}%` }} />
    </div>
  );
}

export function EmptyState({
  icon,
  title,
  children,
  action,
}: {
  icon: IconName;
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}): ReactElement {
  return (
    <div className="empty-state">
      <div className="empty-icon">
        <Icon name={icon} size={28} />
      </div>
      <h2>{title}</h2>
      {children ? <p>{children}</p> : null}
      {action ? <div className="empty-action">{action}</div> : null}
    </div>
  );
}

export function Banner({
  tone,
  icon,
  children,
  action,
}: {
  tone: Tone;
  icon: IconName;
  children: ReactNode;
  action?: ReactNode;
}): ReactElement {
  return (
    <div className={`banner banner-${tone}`} role={tone === 'danger' || tone === 'warning' ? 'alert' : 'status'}>
      <Icon name={icon} size={18} />
      <div className="banner-body">{children}</div>
      {action}
    </div>
  );
}

/** A modal dialog on the native <dialog> element: focus is trapped and Escape closes it. */
export function Dialog({
  open,
  title,
  onClose,
  children,
  footer,
  wide,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  /** Room for a table (a preview): wider, still within the window. */
  wide?: boolean;
}): ReactElement {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      // showModal() focuses the first control (the close button); honour the element marked to go first.
      dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className={`dialog ${wide ? 'dialog-wide' : ''}`}
      aria-labelledby={titleId}
      onClose={onClose}
      onCancel={onClose}
    >
      <header className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <IconButton icon="close" label="Close" onClick={onClose} />
      </header>
      <div className="dialog-body">{children}</div>
      {footer ? <footer className="dialog-footer">{footer}</footer> : null}
    </dialog>
  );
}

/**
 * Asks before something that cannot be undone. `onConfirm` may be async: the dialog shows it running,
 * closes (through onCancel) when it succeeds, and shows its error in place when it fails.
 */
export function ConfirmDialog({
  open,
  title,
  message,
  confirmLabel,
  dismissLabel = 'Cancel',
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  message: ReactNode;
  confirmLabel: string;
  /** The button that changes nothing; worth renaming where the action itself is a "cancel". */
  dismissLabel?: string;
  onConfirm: () => void | Promise<void>;
  onCancel: () => void;
}): ReactElement {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    setError(null);
    onCancel();
  };
  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm();
      close();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      open={open}
      title={title}
      onClose={close}
      footer={
        <>
          {/* The safe choice goes first and holds the focus: Enter on arrival changes nothing. */}
          <Button variant="secondary" onClick={close} data-autofocus>
            {dismissLabel}
          </Button>
          <Button variant="danger" onClick={() => void confirm()} busy={busy}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      <p>{message}</p>
      {error ? <ErrorNote message={error} testId="confirm-error" /> : null}
    </Dialog>
  );
}

/** Page heading with optional actions on the right. */
export function PageHeader({
  title,
  subtitle,
  actions,
}: {
  title: string;
  subtitle?: ReactNode;
  actions?: ReactNode;
}): ReactElement {
  return (
    <header className="page-header">
      <div>
        {/* Focusable by script only: a screen switch lands here. */}
        <h1 tabIndex={-1}>{title}</h1>
        {subtitle ? <p className="page-subtitle">{subtitle}</p> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </header>
  );
}

/** Copies text to the clipboard; resolves false where the page has no clipboard access. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * A row of toggle buttons that picks one filter, each with its count ("Failed 2"); the pressed one is the current.
 */
export function FilterButtons<F extends string>({
  label,
  options,
  current,
  counts,
  onChange,
  group,
}: {
  /** What the group filters, for assistive technology ("Show files"). */
  label: string;
  options: { filter: F; label: string }[];
  current: F;
  counts: Record<F, number>;
  onChange: (filter: F) => void;
  group?: RefObject<HTMLDivElement | null>;
}): ReactElement {
  return (
    <div ref={group} className="state-filter" role="group" aria-label={label}>
      {options.map((option) => (
        <button
          key={option.filter}
          type="button"
          className="filter-btn"
          aria-pressed={current === option.filter}
          data-filter={option.filter}
          onClick={() => onChange(option.filter)}
        >
          {option.label} <span className="filter-count">{counts[option.filter]}</span>
        </button>
      ))}
    </div>
  );
}
