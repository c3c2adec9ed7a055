// A password input for keys and tokens with a Show/Hide toggle; never autocompleted, never spell-checked.
import { useState, type InputHTMLAttributes, type ReactElement } from 'react';

export function SecretInput({
  value,
  onChange,
  what,
  ...rest
}: Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'type'> & {
  value: string;
  /** What the secret is called, for the toggle's accessible name ("Show API key"). */
  what: string;
  onChange: (value: string) => void;
}): ReactElement {
  const [shown, setShown] = useState(false);
  return (
    <div className="secret-input">
      <input
        {...rest}
        className="secret-field"
        type={shown ? 'text' : 'password'}
        value={value}
        autoComplete="off"
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        onChange={(e) => onChange(e.target.value)}
      />
      <button
        type="button"
        className="secret-toggle"
        aria-pressed={shown}
        onClick={() => setShown(!shown)}
        aria-label={`${shown ? 'Hide' : 'Show'} ${what}`}
      >
        {shown ? 'Hide' : 'Show'}
      </button>
    </div>
  );
}
