// Handlers for the folders namespace: listing folders on this machine for the page's folder browser.
import type { HandlersOf } from '../router';

export function folderHandlers(): HandlersOf<'folders'> {
  return {};
}
