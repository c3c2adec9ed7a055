// Placeholder: replaced by the feature's real screen.
import type { ReactElement } from 'react';
import { EmptyState } from '../../ui/controls';

export function ProfilesScreen(): ReactElement {
  return <EmptyState icon="cloud" title="ProfilesScreen">Coming together.</EmptyState>;
}
