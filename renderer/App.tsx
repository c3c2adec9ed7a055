// The frame every screen lives in: navigation on the left, the active profile on top, the screen in the middle.
import type { ReactElement } from 'react';
import { appActions, useApp, type View } from './stores/app';
import { useProfiles } from './stores/profiles';
import { Icon, type IconName } from './ui/icons';
import { Banner } from './ui/controls';
import { ProfileSwitcher } from './features/shell/ProfileSwitcher';
import { Notices } from './features/shell/Notices';
import { UploadsScreen } from './features/uploads/UploadsScreen';
import { ResultsScreen } from './features/results/ResultsScreen';
import { TokensScreen } from './features/tokens/TokensScreen';
import { ProfilesScreen } from './features/profiles/ProfilesScreen';

const nav: { view: View; label: string; icon: IconName; key: string }[] = [
  { view: 'uploads', label: 'Uploads', icon: 'upload', key: '1' },
  { view: 'results', label: 'Results', icon: 'results', key: '2' },
  { view: 'tokens', label: 'Upload tokens', icon: 'tokens', key: '3' },
  { view: 'profiles', label: 'Profiles', icon: 'profiles', key: '4' },
];

const screens: Record<View, () => ReactElement> = {
  uploads: UploadsScreen,
  results: ResultsScreen,
  tokens: TokensScreen,
  profiles: ProfilesScreen,
};

export function App(): ReactElement {
  const { view, connected, info } = useApp();
  const profilesLoaded = useProfiles((s) => s.loaded);
  const Screen = screens[view];
  const status = connected ? (info?.mode === 'browser' ? 'Browser mode' : 'Ready') : 'Reconnecting…';
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
        {!connected ? (
          <Banner tone="warning" icon="offline">
            Lost the connection to Convoy's engine. Reconnecting by itself; your uploads keep their place.
          </Banner>
        ) : null}
        <main className="content" id="content">
          <Screen />
        </main>
      </div>
      <Notices />
    </div>
  );
}

/** Ctrl/Cmd+1..4 switch screens, so the app works from the keyboard alone. */
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
