// The frame every screen lives in: navigation on the left, the active profile on top, the screen in the middle.
import { useEffect, useRef, type ReactElement } from 'react';
import { appActions, useApp, type View } from './stores/app';
import { useProfiles } from './stores/profiles';
import { Icon, type IconName } from './ui/icons';
import { Banner } from './ui/controls';
import type { Gone } from './bridge';
import { ProfileSwitcher } from './features/shell/ProfileSwitcher';
import { Notices } from './features/shell/Notices';
import { UploadsScreen } from './features/uploads/UploadsScreen';
import { ResultsScreen } from './features/results/ResultsScreen';
import { TokensScreen } from './features/tokens/TokensScreen';
import { ProfilesScreen } from './features/profiles/ProfilesScreen';
import { QueueAnnouncer } from './features/uploads/QueueAnnouncer';
import { WatchScreen } from './features/watch/WatchScreen';

const nav: { view: View; label: string; icon: IconName; key: string }[] = [
  { view: 'uploads', label: 'Uploads', icon: 'upload', key: '1' },
  { view: 'results', label: 'Results', icon: 'results', key: '2' },
  { view: 'tokens', label: 'Upload tokens', icon: 'tokens', key: '3' },
  { view: 'profiles', label: 'Profiles', icon: 'profiles', key: '4' },
  { view: 'watch', label: 'Watch folders', icon: 'folder', key: '5' },
];

const screens: Record<View, () => ReactElement> = {
  uploads: UploadsScreen,
  results: ResultsScreen,
  tokens: TokensScreen,
  profiles: ProfilesScreen,
  watch: WatchScreen,
};

/**
 * The window's title names the screen; after a switch (not the first paint) focus goes to the screen's heading, so
 * a screen reader starts there and Tab continues from the top of the new screen.
 */
function useScreenArrival(view: View): void {
  const first = useRef(true);
  useEffect(() => {
    const label = nav.find((n) => n.view === view)?.label ?? 'Convoy';
    document.title = `${label} · Convoy`;
    if (first.current) {
      first.current = false;
      return;
    }
    document.querySelector<HTMLElement>('#content h1')?.focus();
  }, [view]);
}

/** What an old browser tab says when its Convoy is gone, and how to get to the running one. */
function GoneBanner({ gone }: { gone: Gone }): ReactElement {
  return (
    <Banner tone="danger" icon="offline">
      <div data-testid="gone-banner">
        <strong>Convoy restarted or stopped.</strong> {gone.message} Nothing here is live any more. To open Convoy
        again, use the link (or the page) it printed when it started; if it is not running, start it again (
        <code>npm start</code>, or the app). Your uploads keep their place in its journal. This tab can be closed.
      </div>
    </Banner>
  );
}

export function App(): ReactElement {
  const { view, connected, info, gone } = useApp();
  const profilesLoaded = useProfiles((s) => s.loaded);
  const Screen = screens[view];
  useScreenArrival(view);
  const status = connected ? (info?.mode === 'browser' ? 'Browser mode' : 'Ready') : gone ? 'Stopped' : 'Reconnecting…';
  return (
    <div className="app" data-ready={connected && profilesLoaded && info !== null}>
      <aside className="sidebar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            <Icon name="upload" size={18} />
          </span>
          <span className="brand-name">Convoy</span>
        </div>
        <nav aria-label="Main">
          {nav.map((item) => (
            <button
              key={item.view}
              type="button"
              className={`nav-item ${view === item.view ? 'active' : ''}`}
              aria-current={view === item.view ? 'page' : undefined}
              onClick={() => appActions.setView(item.view)}
              title={`${item.label} (Ctrl+${item.key})`}
              aria-keyshortcuts={`Control+${item.key} Meta+${item.key}`}
            >
              <Icon name={item.icon} size={18} />
              <span>{item.label}</span>
            </button>
          ))}
        </nav>
        <div className="sidebar-foot" title={`${status}${info ? ` · v${info.version}` : ''}`}>
          <span className={`conn-dot ${connected ? 'on' : 'off'}`} aria-hidden="true" />
          <span>{status}</span>
          {info ? <span className="version">v{info.version}</span> : null}
        </div>
      </aside>
      <div className="workspace">
        <header className="topbar">
          <ProfileSwitcher />
        </header>
        {gone ? (
          <GoneBanner gone={gone} />
        ) : !connected ? (
          <Banner tone="warning" icon="offline">
            Lost the connection to Convoy's engine. Reconnecting by itself; your uploads keep their place.
          </Banner>
        ) : null}
        <main className="content" id="content">
          {/* Without the engine every control would act on nothing: they are disabled until it is back. */}
          <fieldset className="live-controls" disabled={!connected} data-testid="live-controls">
            <Screen />
          </fieldset>
        </main>
      </div>
      <Notices />
      <QueueAnnouncer />
    </div>
  );
}

/** Ctrl/Cmd+1..5 switch screens, so the app works from the keyboard alone. */
export function bindNavigationKeys(): () => void {
  const onKey = (event: KeyboardEvent) => {
    if (!(event.ctrlKey || event.metaKey)) return;
    const item = nav.find((n) => n.key === event.key);
    if (item) {
      event.preventDefault();
      appActions.setView(item.view);
    }
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
