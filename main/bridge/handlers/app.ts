// Handlers for the app namespace: what Convoy is running as, and the OS helpers the platform provides.
import type { AppInfo } from '../../../common/api';
import type { Platform } from '../../platform';
import type { HandlersOf } from '../router';
import { HandlerError } from '../user-errors';

export function appHandlers(deps: { info: () => AppInfo; platform: Platform }): HandlersOf<'app'> {
  const { platform } = deps;
  return {
    'app.info': () => deps.info(),
    'app.pickPaths': async ({ kind }) => {
      if (!platform.pickPaths) {
        throw new HandlerError(
          'unsupported',
          'Native file dialogs exist only in the desktop app. Drop files or type their paths instead.',
        );
      }
      return { paths: await platform.pickPaths(kind) };
    },
    'app.openExternal': async ({ url }) => ({
      opened: platform.openExternal ? await platform.openExternal(url) : false,
    }),
    'app.loginItem': ({ openAtLogin }) => {
      const item = platform.loginItem;
      if (!item?.supported) return { supported: false, openAtLogin: false };
      if (openAtLogin !== undefined) item.set(openAtLogin);
      return { supported: true, openAtLogin: item.get() };
    },
    'app.saveText': async ({ suggestedName, content }) => {
      if (!platform.saveText) {
        throw new HandlerError(
          'unsupported',
          'Saving through a native dialog exists only in the desktop app; the page downloads the file instead.',
        );
      }
      return { path: await platform.saveText(suggestedName, content) };
    },
  };
}
