// Placeholder: replaced by the feature's real screen.
import type { ReactElement } from 'react';
import { EmptyState } from '../../ui/controls';

export function UploadsScreen(): ReactElement {
  return <EmptyState icon="cloud" title="UploadsScreen">Coming together.</EmptyState>;
}
