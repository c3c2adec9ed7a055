// Placeholder: replaced by the feature's real screen.
import type { ReactElement } from 'react';
import { EmptyState } from '../../ui/controls';

export function ResultsScreen(): ReactElement {
  return <EmptyState icon="cloud" title="ResultsScreen">Coming together.</EmptyState>;
}
