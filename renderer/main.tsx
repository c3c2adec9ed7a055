// Page entry: installs window.convoy, hydrates the stores from main, then renders the app.
// Global styles first, so each feature's stylesheet can refine them.
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { installBridge } from './bridge';
import { App, bindNavigationKeys } from './App';
import { useApp } from './stores/app';
import { hydrateProfiles, subscribeProfiles } from './stores/profiles';
import { hydrators } from './stores/hydrate';
import { messageOf } from './ui/fieldErrors';

const convoy = installBridge((connected) => {
  const wasConnected = useApp.getState().connected;
  useApp.getState().setConnected(connected);
  // After a reconnect (main restarted), everything is fetched again: main is the source of truth.
  if (connected && !wasConnected) void hydrateAll();
});

async function hydrateAll(): Promise<void> {
  try {
    useApp.getState().setInfo(await convoy.app.info({}));
    await Promise.all([hydrateProfiles(), ...hydrators.map((h) => h.hydrate())]);
  } catch (error) {
    useApp.getState().notify({ level: 'error', message: messageOf(error) });
  }
}

subscribeProfiles();
for (const h of hydrators) h.subscribe();
convoy.on('app.notice', (notice) => useApp.getState().notify(notice));
bindNavigationKeys();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
