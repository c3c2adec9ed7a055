// The tray (menu-bar) icon: overall progress in its tooltip, title and menu, pause all, resume all, open and quit,
// and the two resident choices (keep running when the window closes, open at login). Electron's API is injected.
import type { Menu as MenuClass, MenuItemConstructorOptions, NativeImage, Tray as TrayClass } from 'electron';
import type { LoginItem } from '../platform';
import { summarize, type ResidentWork, type WorkSummary } from './resident-work';
import type { ShellSettings } from './shell-settings';

export interface TrayElectron {
  Tray: new (image: NativeImage) => TrayClass;
  Menu: Pick<typeof MenuClass, 'buildFromTemplate'>;
}

export interface TrayOptions {
  electron: TrayElectron;
  image: NativeImage;
  platform: NodeJS.Platform;
  work: ResidentWork;
  settings: ShellSettings;
  loginItem?: LoginItem;
  open(): void;
  quit(): void;
}

export interface ResidentTray {
  /** The text the tray shows now (also its tooltip's second line). */
  status(): string;
  destroy(): void;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** One line on the state of the work, the same in the tooltip and at the top of the menu. */
export function statusLine(summary: WorkSummary): string {
  const parts: string[] = [];
  if (summary.active > 0) {
    parts.push(`Uploading ${plural(summary.active, 'file')}: ${Math.floor((summary.fraction ?? 0) * 100)}%`);
  }
  if (summary.paused > 0) parts.push(`${summary.paused} paused`);
  if (summary.failed > 0) parts.push(`${summary.failed} failed`);
  if (summary.watches > 0) parts.push(`watching ${plural(summary.watches, 'folder')}`);
  if (parts.length === 0)
    return summary.done > 0 ? `All uploaded (${plural(summary.done, 'file')})` : 'Nothing to upload';
  const line = parts.join(', ');
  return line[0]!.toUpperCase() + line.slice(1);
}

export function createResidentTray(options: TrayOptions): ResidentTray {
  const { electron, work, settings, loginItem } = options;
  const tray = new electron.Tray(options.image);
  let shown = '';
  let destroyed = false;
  let current = '';

  const render = () => {
    if (destroyed) return;
    const summary = summarize(work.totals(), work.activeWatches());
    current = statusLine(summary);
    const keepRunning = settings.get().keepRunningInTray;
    const atLogin = loginItem?.supported ? loginItem.get() : null;
    const view = JSON.stringify([current, summary.active > 0, summary.paused > 0, keepRunning, atLogin]);
    if (view === shown) return;
    shown = view;
    const template: MenuItemConstructorOptions[] = [
      { label: current, enabled: false },
      { type: 'separator' },
      { label: 'Open Convoy', click: () => options.open() },
      { label: 'Pause all', enabled: summary.active > 0, click: () => work.pauseAll() },
      { label: 'Resume all', enabled: summary.paused > 0, click: () => work.resumeAll() },
      { type: 'separator' },
      {
        label: 'Keep running when the window closes',
        type: 'checkbox',
        checked: keepRunning,
        click: (item) => {
          settings.update({ keepRunningInTray: item.checked });
          render();
        },
      },
      ...(atLogin === null
        ? []
        : [
            {
              label: 'Open at login',
              type: 'checkbox' as const,
              checked: atLogin,
              click: (item: { checked: boolean }) => {
                loginItem?.set(item.checked);
                render();
              },
            },
          ]),
      { type: 'separator' },
      { label: 'Quit Convoy', click: () => options.quit() },
    ];
    tray.setContextMenu(electron.Menu.buildFromTemplate(template));
    tray.setToolTip(`Convoy\n${current}`);
    // The menu bar shows the percentage beside the icon while files upload.
    if (options.platform === 'darwin')
      tray.setTitle(summary.fraction === null ? '' : `${Math.floor(summary.fraction * 100)}%`);
  };

  // A click opens the window on Windows and Linux (where the menu is the right click); macOS shows the menu.
  if (options.platform !== 'darwin') tray.on('click', () => options.open());
  const unsubscribe = work.onChange(render);
  const unsubscribeLogin = loginItem?.onChange?.(render) ?? (() => {});
  render();
  return {
    status: () => current,
    destroy() {
      destroyed = true;
      unsubscribe();
      unsubscribeLogin();
      tray.destroy();
    },
  };
}
