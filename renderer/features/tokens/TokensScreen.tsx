// Placeholder: replaced by the feature's real screen.
import type { ReactElement } from 'react';
import { EmptyState } from '../../ui/controls';

export function TokensScreen(): ReactElement {
  return <EmptyState icon="cloud" title="TokensScreen">Coming together.</EmptyState>;
}
