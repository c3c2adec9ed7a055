// The application menu: the standard roles, DevTools only in a development build, and a link to api.video's docs.
import type { Menu as MenuClass, MenuItemConstructorOptions } from 'electron';

export function buildAppMenu(
  Menu: Pick<typeof MenuClass, 'buildFromTemplate' | 'setApplicationMenu'>,
  options: { isPackaged: boolean; platform: NodeJS.Platform; openExternal: (url: string) => void },
): void {
  const template: MenuItemConstructorOptions[] = [
    ...(options.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        ...(options.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: 'api.video documentation', click: () => options.openExternal('https://docs.api.video') }],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
