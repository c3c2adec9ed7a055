// Where secrets live: encrypted at rest with the injected SecretCipher, or in memory for this session only
// when there is no real encryption (no cipher, or Linux's 'basic_text' backend). Every secret is registered for redaction.
import type { SecretStorageInfo } from '../../common/contract/app';
import type { SecretCipher } from '../platform';
import { registerSecret } from '../log/redact';

const SESSION_WARNING =
  'This system offers no safe place to store keys (no OS keychain). Convoy keeps API keys and tokens in memory ' +
  'for this session only and never writes them to disk: after a restart you will be asked for them again.';

export class SecretKeeper {
  private readonly memory = new Map<string, string>();

  constructor(private readonly cipher: SecretCipher | null) {}

  /** True when secrets may be written to disk, encrypted by a real OS keychain. */
  get canEncrypt(): boolean {
    return this.cipher !== null && this.cipher.backend !== 'basic_text';
  }

  info(): SecretStorageInfo {
    const backend = this.cipher?.backend ?? 'none';
    return this.canEncrypt ? { encrypted: true, backend } : { encrypted: false, backend, warning: SESSION_WARNING };
  }

  /** Keeps a secret for this session; returns the encrypted form to store (base64) when it may be stored. */
  keep(id: string, secret: string, persist: boolean): string | undefined {
    registerSecret(secret);
    this.memory.set(id, secret);
    if (!persist || !this.canEncrypt || !this.cipher) return undefined;
    return this.cipher.encrypt(secret).toString('base64');
  }

  /** Restores a stored secret at start-up; false when it cannot be decrypted here. */
  restore(id: string, encrypted: string): boolean {
    if (!this.canEncrypt || !this.cipher) return false;
    try {
      const secret = this.cipher.decrypt(Buffer.from(encrypted, 'base64'));
      registerSecret(secret);
      this.memory.set(id, secret);
      return true;
    } catch {
      return false;
    }
  }

  get(id: string): string | undefined {
    return this.memory.get(id);
  }

  forget(id: string): void {
    this.memory.delete(id);
  }
}
