// The OS boundary main depends on. The Electron shell provides the real one; browser mode and the CLI
// provide what plain Node can (no keychain, no native dialogs). Nothing outside main/shell imports electron.

/** Encrypts secrets at rest with the OS keychain (Electron safeStorage). */
export interface SecretCipher {
  /** 'keychain', 'dpapi', 'gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6', 'basic_text' ... */
  readonly backend: string;
  encrypt(plain: string): Buffer;
  decrypt(encrypted: Buffer): string;
}

/** Starting Convoy when the user logs in (off until the user turns it on). */
export interface LoginItem {
  /** False where the OS offers no login item to the app (Linux): the watch screen then does not offer it. */
  readonly supported: boolean;
  get(): boolean;
  set(openAtLogin: boolean): void;
  /** Calls the listener after each set() (from the tray or the watch screen); returns the unsubscribe. */
  onChange?(listener: () => void): () => void;
}

export interface Platform {
  readonly mode: 'electron' | 'browser' | 'cli';
  /** Null where no real encryption exists: secrets are then kept for the session only. */
  readonly secretCipher: SecretCipher | null;
  pickPaths?(kind: 'files' | 'folder'): Promise<string[]>;
  saveText?(suggestedName: string, content: string): Promise<string | null>;
  openExternal?(url: string): Promise<boolean>;
  notify?(title: string, body: string): void;
  /** Dock/taskbar progress: 0..1, or null to clear. */
  setProgress?(fraction: number | null): void;
  /** Keeps the machine awake while uploads run. */
  keepAwake?(on: boolean): void;
  /** Calls the listener when the machine wakes from sleep; returns the unsubscribe. */
  onWake?(listener: () => void): () => void;
  /** Launch at login: the desktop app only (offered when the first watch folder is added). */
  loginItem?: LoginItem;
  /** Where the page loads a loopback server's thumbnails from (AppInfo.thumbnailProxy): the desktop app only. */
  readonly thumbnailProxy?: string;
}
