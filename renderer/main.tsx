// Page entry: installs window.convoy, starts every store listed in stores/hydrate.ts, then renders the app.
// Global styles first, so each feature's stylesheet can refine them.
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { installBridge } from './bridge';
import { App, bindNavigationKeys } from './App';
import { connectionChanged, subscribeStores } from './stores/hydrate';
import { appActions } from './stores/app';

installBridge(connectionChanged, appActions.setGone);
subscribeStores();
bindNavigationKeys();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
